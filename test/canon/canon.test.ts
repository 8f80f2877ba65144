import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CANON_TABLES_SQL,
  CATALOG_SNAPSHOT_SQL,
  createScratchDatabase,
  loadCanon,
  readCanonConfig,
  runFile,
  type ScratchDatabase,
  type Sql,
  type Tx,
} from './helpers.js';

const ADMIN_URL = process.env.AIBOS_TEST_DATABASE_URL;
const canon = loadCanon();
const globalTables = readCanonConfig().tenancy.globalTables;

// The tables of standard section 4.1 (kernel 7.1, finance 8.1, config).
const CANON_TABLES = [
  ...['tenants', 'users', 'roles', 'role_permissions', 'sessions', 'canons', 'routes', 'events', 'audit_events',
    'permissions', 'user_roles'].map((t) => `kernel.${t}`),
  ...['companies', 'accounts', 'fx_rates', 'transactions', 'journal_entries', 'journal_lines', 'approvals'].map(
    (t) => `finance.${t}`,
  ),
  ...['settings', 'policies', 'features', 'provider_profiles'].map((t) => `config.${t}`),
];

// SQLSTATEs the canon promises (see the migrations' comments).
const CHECK_VIOLATION = '23514';
const RESTRICT_VIOLATION = '23001'; // append-only guard
const FOREIGN_KEY_VIOLATION = '23503';
const INSUFFICIENT_PRIVILEGE = '42501'; // missing GRANT, and also an RLS WITH CHECK failure

describe('AI-BOS Canon files', () => {
  it('pairs every up with a down, in numeric order within the schema ranges', () => {
    const ranges: Record<string, [number, number]> = { kernel: [1, 99], finance: [100, 199], config: [200, 299] };
    expect(canon.length).toBeGreaterThan(0);
    for (const m of canon) {
      const range = ranges[m.schema];
      expect(range, m.name).toBeDefined();
      expect(m.seq, m.name).toBeGreaterThanOrEqual(range[0]);
      expect(m.seq, m.name).toBeLessThanOrEqual(range[1]);
    }
    expect(canon.map((m) => m.seq)).toEqual([...canon.map((m) => m.seq)].sort((a, b) => a - b));
    // The kernel numbers of standard section 7.1 are a contract.
    expect(canon.map((m) => m.seq)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]));
  });

  it('starts every up with author and reason header lines', () => {
    for (const m of canon) {
      const lines = m.up.split('\n');
      expect(lines[0], m.name).toMatch(/^-- author: \S/);
      expect(lines[1], m.name).toMatch(/^-- reason: \S/);
    }
  });

  it('leaves transaction control to the runner', () => {
    for (const m of canon) {
      for (const [side, text] of [['up', m.up], ['down', m.down]] as const) {
        // Statement-leading BEGIN/COMMIT/ROLLBACK; plpgsql BEGIN ... END blocks sit inside $$ bodies.
        const outsideBodies = text.replace(/\$\$[\s\S]*?\$\$/g, '');
        expect(outsideBodies, `${m.name} (${side})`).not.toMatch(/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\b/im);
      }
    }
  });
});

describe.runIf(!!ADMIN_URL)('AI-BOS Canon on PostgreSQL', () => {
  let db: ScratchDatabase;
  let sql: Sql;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    db = await createScratchDatabase(ADMIN_URL!);
    sql = db.sql;
    for (const m of canon) await runFile(sql, m.name, m.up);
    a = await seedTenant(sql, 'tenant-a');
    b = await seedTenant(sql, 'tenant-b');
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  }, 30_000);

  describe('structure', () => {
    it('gives every non-global table tenant_id uuid NOT NULL referencing kernel.tenants, ENABLE+FORCE RLS and a tenant policy', async () => {
      const tables = await canonTables(sql);
      expect(tables.map((t) => t.name).sort()).toEqual([...CANON_TABLES].sort());
      const tenantTables = tables.filter((t) => !globalTables.includes(t.name));
      expect(tenantTables.length).toBe(CANON_TABLES.length - globalTables.length);
      for (const t of tenantTables) {
        expect(t.tenant_id_type, t.name).toBe('uuid');
        expect(t.tenant_id_not_null, t.name).toBe(true);
        expect(t.tenant_fk, t.name).toBe(true);
        expect([t.rls, t.force_rls], t.name).toEqual([true, true]);
        expect(t.policies, t.name).toEqual([
          {
            name: 'tenant_isolation',
            cmd: '*',
            using: "(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)",
            check: "(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)",
          },
        ]);
      }
      for (const name of globalTables) {
        expect(tables.find((t) => t.name === name)?.tenant_id_type, name).toBeNull();
      }
    });

    it('gives every table created_at and updated_at timestamptz NOT NULL DEFAULT now()', async () => {
      const rows = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }[]>`
        SELECT table_schema || '.' || table_name AS table_name, column_name, data_type, is_nullable, column_default
        FROM information_schema.columns
        WHERE table_schema IN ('kernel', 'finance', 'config') AND column_name IN ('created_at', 'updated_at')`;
      expect(rows.length).toBe(CANON_TABLES.length * 2);
      for (const r of rows) {
        expect([r.data_type, r.is_nullable, r.column_default], `${r.table_name}.${r.column_name}`).toEqual([
          'timestamp with time zone',
          'NO',
          'now()',
        ]);
      }
      const [{ count }] = await sql`
        SELECT count(*)::int AS count FROM information_schema.columns
        WHERE table_schema IN ('kernel', 'finance', 'config')
          AND data_type IN ('timestamp without time zone', 'real', 'double precision', 'money', 'character varying')`;
      expect(count).toBe(0);
    });

    it('soft-deletes finance tables except the append-only ledger', async () => {
      const rows = await sql<{ name: string; has_deleted_at: boolean }[]>`
        SELECT c.relname AS name,
               EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'deleted_at'
                       AND NOT a.attnotnull AND a.atttypid = 'timestamptz'::regtype) AS has_deleted_at
        FROM pg_class c WHERE c.relnamespace = 'finance'::regnamespace AND c.relkind = 'r' ORDER BY 1`;
      expect(rows.filter((r) => !r.has_deleted_at).map((r) => r.name)).toEqual(['journal_entries', 'journal_lines']);
      expect(rows.length).toBe(CANON_TABLES.filter((t) => t.startsWith('finance.')).length);
    });

    it('indexes every foreign key (its columns lead an index) and leads an index with tenant_id on every tenant table', async () => {
      const fks = await sql<{ tbl: string; conname: string; cols: number[] }[]>`
        SELECT conrelid::regclass::text AS tbl, conname, conkey::int[] AS cols
        FROM pg_constraint
        WHERE contype = 'f' AND connamespace IN ('kernel'::regnamespace, 'finance'::regnamespace, 'config'::regnamespace)`;
      const indexes = await sql<{ tbl: string; cols: number[] }[]>`
        SELECT indrelid::regclass::text AS tbl, string_to_array(indkey::text, ' ')::int[] AS cols
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relnamespace IN ('kernel'::regnamespace, 'finance'::regnamespace, 'config'::regnamespace)`;
      // Strict: the foreign key's columns, in its order, are the index's leading columns.
      const leads = (index: number[], cols: number[]) => index.slice(0, cols.length).join() === cols.join();
      const uncovered = fks
        .filter((fk) => !indexes.some((ix) => ix.tbl === fk.tbl && leads(ix.cols, fk.cols)))
        .map((fk) => `${fk.tbl}.${fk.conname}`);
      expect(uncovered).toEqual([]);
      expect(fks.length).toBeGreaterThan(30);

      const tenantLed = await sql<{ tbl: string }[]>`
        SELECT DISTINCT c.oid::regclass::text AS tbl
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
        WHERE a.attname = 'tenant_id'`;
      const tables = await canonTables(sql);
      const missing = tables
        .filter((t) => !globalTables.includes(t.name))
        .filter((t) => !tenantLed.some((r) => r.tbl === t.name))
        .map((t) => t.name);
      expect(missing).toEqual([]);
    });

    it('creates the four section 10.1 roles as NOLOGIN group roles', async () => {
      const roles = await sql<{ rolname: string; rolcanlogin: boolean; rolbypassrls: boolean }[]>`
        SELECT rolname, rolcanlogin, rolbypassrls FROM pg_roles WHERE rolname IN ('aibos_admin', 'aibos_app', 'aibos_migration', 'aibos_readonly') ORDER BY rolname`;
      expect(roles).toEqual(
        ['aibos_admin', 'aibos_app', 'aibos_migration', 'aibos_readonly'].map((rolname) => ({
          rolname,
          rolcanlogin: false,
          rolbypassrls: false,
        })),
      );
    });
  });

  describe('double-entry ledger', () => {
    it('commits a balanced entry', async () => {
      const entryId = await sql.begin(async (tx) => {
        const id = await insertEntry(tx, a, 'balanced');
        await insertLine(tx, a, id, a.cashAccountId, 12_345, 0);
        await insertLine(tx, a, id, a.revenueAccountId, 0, 10_000);
        await insertLine(tx, a, id, a.revenueAccountId, 0, 2_345);
        return id;
      });
      const [sums] = await sql`
        SELECT sum(debit_cents)::bigint AS debit, sum(credit_cents)::bigint AS credit, count(*)::int AS lines
        FROM finance.journal_lines WHERE journal_entry_id = ${entryId}`;
      expect(sums).toEqual({ debit: '12345', credit: '12345', lines: 3 });
    });

    it('refuses to commit an unbalanced entry, at commit time, and keeps nothing of it', async () => {
      let entryId = '';
      await expect(
        sql.begin(async (tx) => {
          entryId = await insertEntry(tx, a, 'unbalanced');
          await insertLine(tx, a, entryId, a.cashAccountId, 10_000, 0);
          // Still inside the transaction: the check is deferred, so this insert succeeds.
          await insertLine(tx, a, entryId, a.revenueAccountId, 0, 9_999);
        }),
      ).rejects.toMatchObject({ code: CHECK_VIOLATION, message: expect.stringMatching(/unbalanced/) });
      expect(await sql`SELECT 1 FROM finance.journal_entries WHERE id = ${entryId}`).toHaveLength(0);
    });

    it('can be checked early with SET CONSTRAINTS ALL IMMEDIATE', async () => {
      await expect(
        sql.begin(async (tx) => {
          const id = await insertEntry(tx, a, 'early');
          await insertLine(tx, a, id, a.cashAccountId, 500, 0);
          await tx`SET CONSTRAINTS ALL IMMEDIATE`;
        }),
      ).rejects.toMatchObject({ code: CHECK_VIOLATION });
    });

    it('refuses an entry without lines', async () => {
      await expect(sql.begin((tx) => insertEntry(tx, a, 'empty'))).rejects.toMatchObject({
        code: CHECK_VIOLATION,
        message: expect.stringMatching(/has no lines/),
      });
    });

    it('refuses a line that is both or neither a debit and a credit, or negative', async () => {
      for (const [debit, credit] of [[100, 100], [0, 0], [-100, 0], [0, -5]]) {
        await expect(
          sql.begin(async (tx) => {
            const id = await insertEntry(tx, a, 'bad line');
            await insertLine(tx, a, id, a.cashAccountId, debit, credit);
          }),
          `${debit}/${credit}`,
        ).rejects.toMatchObject({ code: CHECK_VIOLATION });
      }
    });

    it('refuses a line pointing at another tenant’s account (tenant-consistent foreign keys)', async () => {
      await expect(
        sql.begin(async (tx) => {
          const id = await insertEntry(tx, a, 'cross-tenant');
          await insertLine(tx, a, id, b.cashAccountId, 100, 0);
          await insertLine(tx, a, id, a.revenueAccountId, 0, 100);
        }),
      ).rejects.toMatchObject({ code: FOREIGN_KEY_VIOLATION });
    });

    it('keeps journal lines and entries append-only, even for the superuser', async () => {
      const entryId = await postBalancedEntry(sql, a, 'immutable');
      const statements = [
        sql`UPDATE finance.journal_lines SET debit_cents = debit_cents + 1 WHERE journal_entry_id = ${entryId}`,
        sql`UPDATE finance.journal_lines SET description = 'edited' WHERE journal_entry_id = ${entryId}`,
        sql`DELETE FROM finance.journal_lines WHERE journal_entry_id = ${entryId}`,
        sql`TRUNCATE finance.journal_lines`,
        sql`UPDATE finance.journal_entries SET description = 'edited' WHERE id = ${entryId}`,
        sql`DELETE FROM finance.journal_entries WHERE id = ${entryId}`,
      ];
      for (const statement of statements) {
        await expect(statement).rejects.toMatchObject({ code: RESTRICT_VIOLATION, message: expect.stringMatching(/append-only/) });
      }
      const [{ count }] = await sql`SELECT count(*)::int AS count FROM finance.journal_lines WHERE journal_entry_id = ${entryId}`;
      expect(count).toBe(2);
    });

    it('corrects by a reversing entry, at most once per entry', async () => {
      const original = await postBalancedEntry(sql, a, 'to reverse');
      const reversal = await sql.begin(async (tx) => {
        const id = await insertEntry(tx, a, 'reversal', original);
        await insertLine(tx, a, id, a.cashAccountId, 0, 2_500);
        await insertLine(tx, a, id, a.revenueAccountId, 2_500, 0);
        return id;
      });
      expect(reversal).toMatch(/^[0-9a-f-]{36}$/);
      await expect(
        sql.begin(async (tx) => {
          const id = await insertEntry(tx, a, 'second reversal', original);
          await insertLine(tx, a, id, a.cashAccountId, 0, 2_500);
          await insertLine(tx, a, id, a.revenueAccountId, 2_500, 0);
        }),
      ).rejects.toMatchObject({ code: '23505' });
    });

    it('keeps the audit log append-only', async () => {
      const [{ id }] = await sql`
        INSERT INTO kernel.audit_events (tenant_id, actor_user_id, action) VALUES (${a.tenantId}, ${a.userId}, 'login')
        RETURNING id`;
      await expect(sql`UPDATE kernel.audit_events SET action = 'x' WHERE id = ${id}`).rejects.toMatchObject({ code: RESTRICT_VIOLATION });
      await expect(sql`DELETE FROM kernel.audit_events WHERE id = ${id}`).rejects.toMatchObject({ code: RESTRICT_VIOLATION });
      await expect(sql`TRUNCATE kernel.audit_events`).rejects.toMatchObject({ code: RESTRICT_VIOLATION });
    });
  });

  describe('transaction status machine', () => {
    it('walks draft -> pending_approval -> approved -> posted', async () => {
      const id = await insertTransaction(sql, a);
      for (const status of ['pending_approval', 'approved', 'posted']) {
        const [row] = await sql`UPDATE finance.transactions SET status = ${status} WHERE id = ${id} RETURNING status`;
        expect(row.status).toBe(status);
      }
    });

    it('refuses forbidden transitions', async () => {
      const id = await insertTransaction(sql, a);
      await expect(sql`UPDATE finance.transactions SET status = 'posted' WHERE id = ${id}`).rejects.toMatchObject({
        code: CHECK_VIOLATION,
        message: expect.stringMatching(/from draft to posted/),
      });
      await sql`UPDATE finance.transactions SET status = 'cancelled' WHERE id = ${id}`;
      for (const status of ['draft', 'pending_approval', 'approved', 'posted']) {
        await expect(sql`UPDATE finance.transactions SET status = ${status} WHERE id = ${id}`, status).rejects.toMatchObject({
          code: CHECK_VIOLATION,
        });
      }
      const [row] = await sql`SELECT status FROM finance.transactions WHERE id = ${id}`;
      expect(row.status).toBe('cancelled');
    });

    it('starts every transaction as draft and freezes the amount once it leaves draft', async () => {
      await expect(insertTransaction(sql, a, 'approved')).rejects.toMatchObject({ code: CHECK_VIOLATION });
      const id = await insertTransaction(sql, a);
      await sql`UPDATE finance.transactions SET amount_cents = 999 WHERE id = ${id}`;
      await sql`UPDATE finance.transactions SET status = 'pending_approval' WHERE id = ${id}`;
      await expect(sql`UPDATE finance.transactions SET amount_cents = 1 WHERE id = ${id}`).rejects.toMatchObject({
        code: CHECK_VIOLATION,
        message: expect.stringMatching(/frozen/),
      });
    });
  });

  describe('tenant isolation as aibos_app', () => {
    it('sees only the current tenant’s rows', async () => {
      await asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
        const accounts = await tx`SELECT DISTINCT tenant_id FROM finance.accounts`;
        expect(accounts.map((r) => r.tenant_id)).toEqual([a.tenantId]);
        const users = await tx`SELECT tenant_id FROM kernel.users`;
        expect(users.map((r) => r.tenant_id)).toEqual([a.tenantId]);
        expect(await tx`SELECT 1 FROM finance.companies WHERE id = ${b.companyId}`).toHaveLength(0);
      });
    });

    it('sees nothing with no tenant set, or an empty one', async () => {
      await asRole(sql, 'aibos_app', undefined, async (tx) => {
        for (const table of ['finance.accounts', 'finance.companies', 'kernel.users', 'config.settings']) {
          const [{ count }] = await tx.unsafe(`SELECT count(*)::int AS count FROM ${table}`);
          expect(count, table).toBe(0);
        }
      });
      await asRole(sql, 'aibos_app', '', async (tx) => {
        const [{ count }] = await tx`SELECT count(*)::int AS count FROM finance.accounts`;
        expect(count).toBe(0);
      });
    });

    it('cannot insert a row into another tenant', async () => {
      await expect(
        asRole(sql, 'aibos_app', a.tenantId, (tx) => tx`
          INSERT INTO finance.companies (tenant_id, code, legal_name, base_currency)
          VALUES (${b.tenantId}, 'SNEAK', 'Sneaky Ltd', 'EUR')`),
      ).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE, message: expect.stringMatching(/row-level security/) });
      await asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
        const [row] = await tx`
          INSERT INTO finance.companies (tenant_id, code, legal_name, base_currency)
          VALUES (${a.tenantId}, 'OWN', 'Own Ltd', 'EUR') RETURNING tenant_id`;
        expect(row.tenant_id).toBe(a.tenantId);
      });
    });

    it('cannot move a row into another tenant, nor touch another tenant’s rows', async () => {
      await expect(
        asRole(sql, 'aibos_app', a.tenantId, (tx) => tx`
          UPDATE finance.accounts SET tenant_id = ${b.tenantId} WHERE id = ${a.cashAccountId}`),
      ).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      await asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
        const updated = await tx`UPDATE finance.accounts SET name = 'hijacked' WHERE id = ${b.cashAccountId} RETURNING id`;
        expect(updated.count).toBe(0);
      });
      const [row] = await sql`SELECT name, tenant_id FROM finance.accounts WHERE id = ${b.cashAccountId}`;
      expect(row).toEqual({ name: 'Cash', tenant_id: b.tenantId });
    });

    it('posts a balanced entry in its own tenant', async () => {
      await asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
        const id = await insertEntry(tx, a, 'app entry');
        await insertLine(tx, a, id, a.cashAccountId, 700, 0);
        await insertLine(tx, a, id, a.revenueAccountId, 0, 700);
      });
    });

    it('judges an entry by its own tenant whatever app.tenant_id says at commit', async () => {
      // Row-level security would hide the lines from the deferred check; the check pins the tenant.
      await asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
        const id = await insertEntry(tx, a, 'switch after balanced');
        await insertLine(tx, a, id, a.cashAccountId, 700, 0);
        await insertLine(tx, a, id, a.revenueAccountId, 0, 700);
        await tx`SELECT set_config('app.tenant_id', '', true)`;
      });
    });

    it('cannot dodge the balance check by switching tenant before commit', async () => {
      await expect(
        asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
          const id = await insertEntry(tx, a, 'dodge');
          await insertLine(tx, a, id, a.cashAccountId, 700, 0);
          await tx`SELECT set_config('app.tenant_id', ${b.tenantId}, true)`;
        }),
      ).rejects.toMatchObject({ code: CHECK_VIOLATION, message: expect.stringMatching(/has no lines|unbalanced/) });
    });

    it('soft-deletes finance rows: UPDATE deleted_at works, DELETE is not granted', async () => {
      await expect(
        asRole(sql, 'aibos_app', a.tenantId, (tx) => tx`DELETE FROM finance.fx_rates WHERE tenant_id = ${a.tenantId}`),
      ).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      await asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
        const [row] = await tx`
          INSERT INTO finance.fx_rates (tenant_id, base_currency, quote_currency, rate, as_of)
          VALUES (${a.tenantId}, 'EUR', 'USD', '1.0834567891', now()) RETURNING id, rate`;
        expect(row.rate).toBe('1.0834567891');
        const deleted = await tx`UPDATE finance.fx_rates SET deleted_at = now() WHERE id = ${row.id} RETURNING deleted_at`;
        expect(deleted[0].deleted_at).toBeInstanceOf(Date);
      });
    });

    it('reads config but cannot write it (config is written by aibos_admin)', async () => {
      await expect(
        asRole(sql, 'aibos_app', a.tenantId, (tx) => tx`
          INSERT INTO config.settings (tenant_id, key, value) VALUES (${a.tenantId}, 'ui.theme', '"dark"')`),
      ).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      await asRole(sql, 'aibos_admin', a.tenantId, (tx) => tx`
        INSERT INTO config.settings (tenant_id, key, value) VALUES (${a.tenantId}, 'ui.theme', '"dark"')`);
      await asRole(sql, 'aibos_app', a.tenantId, async (tx) => {
        const rows = await tx`SELECT value FROM config.settings WHERE key = 'ui.theme'`;
        expect(rows.map((r) => r.value)).toEqual(['dark']);
      });
    });
  });

  describe('aibos_readonly', () => {
    it('reads its tenant’s rows but cannot write anything', async () => {
      await asRole(sql, 'aibos_readonly', a.tenantId, async (tx) => {
        const rows = await tx`SELECT id FROM finance.accounts`;
        expect(rows.length).toBe(2);
      });
      const writes: Array<(tx: Tx) => Promise<unknown>> = [
        (tx) => tx`INSERT INTO finance.companies (tenant_id, code, legal_name, base_currency) VALUES (${a.tenantId}, 'RO', 'RO', 'EUR')`,
        (tx) => tx`UPDATE finance.accounts SET name = 'x' WHERE tenant_id = ${a.tenantId}`,
        (tx) => tx`DELETE FROM kernel.sessions WHERE tenant_id = ${a.tenantId}`,
        (tx) => tx`INSERT INTO kernel.audit_events (tenant_id, action) VALUES (${a.tenantId}, 'x')`,
        (tx) => tx`UPDATE kernel.tenants SET name = 'x' WHERE id = ${a.tenantId}`,
      ];
      for (const write of writes) {
        await expect(asRole(sql, 'aibos_readonly', a.tenantId, write)).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      }
    });
  });

  describe('round trip', () => {
    it('re-applies every up idempotently, and every down restores the catalog from before its up', async () => {
      const scratch = await createScratchDatabase(ADMIN_URL!);
      try {
        const snapshot = async () => (await scratch.sql.unsafe(CATALOG_SNAPSHOT_SQL)).map((r) => r.line as string);
        const before: string[][] = [];
        for (const m of canon) {
          before.push(await snapshot());
          await runFile(scratch.sql, m.name, m.up);
        }
        const applied = await snapshot();
        for (const m of canon) await runFile(scratch.sql, `${m.name} (second run)`, m.up);
        expect(await snapshot()).toEqual(applied);

        for (let i = canon.length - 1; i >= 0; i--) {
          await runFile(scratch.sql, `down of ${canon[i].name}`, canon[i].down);
          expect(await snapshot(), `down of ${canon[i].name}`).toEqual(before[i]);
        }
        expect(await scratch.sql.unsafe(CANON_TABLES_SQL)).toHaveLength(0);
        const schemas = await scratch.sql`SELECT nspname FROM pg_namespace WHERE nspname IN ('kernel', 'finance', 'config')`;
        expect(schemas).toHaveLength(0);
        // The other database of this suite still grants to the roles, so the down kept them.
        const roles = await scratch.sql`SELECT rolname FROM pg_roles WHERE rolname = 'aibos_app'`;
        expect(roles).toHaveLength(1);

        for (const m of canon) await runFile(scratch.sql, `${m.name} (after downs)`, m.up);
        expect(await snapshot()).toEqual(applied);
      } finally {
        await scratch.drop();
      }
    }, 60_000);
  });
});

interface Tenant {
  tenantId: string;
  userId: string;
  companyId: string;
  cashAccountId: string;
  revenueAccountId: string;
}

async function seedTenant(sql: Sql, slug: string): Promise<Tenant> {
  return sql.begin(async (tx) => {
    const [{ id: tenantId }] = await tx`INSERT INTO kernel.tenants (slug, name) VALUES (${slug}, ${slug}) RETURNING id`;
    const [{ id: userId }] = await tx`
      INSERT INTO kernel.users (tenant_id, email) VALUES (${tenantId}, ${`owner@${slug}.test`}) RETURNING id`;
    const [{ id: companyId }] = await tx`
      INSERT INTO finance.companies (tenant_id, code, legal_name, base_currency)
      VALUES (${tenantId}, 'HQ', ${`${slug} Ltd`}, 'EUR') RETURNING id`;
    const [{ id: cashAccountId }] = await tx`
      INSERT INTO finance.accounts (tenant_id, company_id, code, name, account_type, currency, is_bank_account)
      VALUES (${tenantId}, ${companyId}, '1000', 'Cash', 'asset', 'EUR', true) RETURNING id`;
    const [{ id: revenueAccountId }] = await tx`
      INSERT INTO finance.accounts (tenant_id, company_id, code, name, account_type, currency)
      VALUES (${tenantId}, ${companyId}, '4000', 'Revenue', 'revenue', 'EUR') RETURNING id`;
    return { tenantId, userId, companyId, cashAccountId, revenueAccountId };
  }) as Promise<Tenant>;
}

/** Runs `fn` in a transaction as `role`, with app.tenant_id set for that transaction (unless undefined). */
async function asRole<T>(sql: Sql, role: string, tenantId: string | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`SET LOCAL ROLE ${role}`);
    if (tenantId !== undefined) await tx`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

async function insertEntry(tx: Tx, t: Tenant, description: string, reverses: string | null = null): Promise<string> {
  const [{ id }] = await tx`
    INSERT INTO finance.journal_entries (tenant_id, company_id, entry_date, description, reverses_entry_id)
    VALUES (${t.tenantId}, ${t.companyId}, current_date, ${description}, ${reverses}) RETURNING id`;
  return id;
}

async function insertLine(tx: Tx, t: Tenant, entryId: string, accountId: string, debit: number, credit: number) {
  await tx`
    INSERT INTO finance.journal_lines (tenant_id, journal_entry_id, account_id, debit_cents, credit_cents)
    VALUES (${t.tenantId}, ${entryId}, ${accountId}, ${debit}, ${credit})`;
}

async function postBalancedEntry(sql: Sql, t: Tenant, description: string): Promise<string> {
  return sql.begin(async (tx) => {
    const id = await insertEntry(tx, t, description);
    await insertLine(tx, t, id, t.cashAccountId, 2_500, 0);
    await insertLine(tx, t, id, t.revenueAccountId, 0, 2_500);
    return id;
  }) as Promise<string>;
}

async function insertTransaction(sql: Sql, t: Tenant, status = 'draft'): Promise<string> {
  const [{ id }] = await sql`
    INSERT INTO finance.transactions (tenant_id, company_id, account_id, requested_by_user_id, counterparty, amount_cents, currency, status)
    VALUES (${t.tenantId}, ${t.companyId}, ${t.cashAccountId}, ${t.userId}, 'ACME Supplies', 150000, 'EUR', ${status})
    RETURNING id`;
  return id;
}

interface CanonTable {
  name: string;
  tenant_id_type: string | null;
  tenant_id_not_null: boolean | null;
  tenant_fk: boolean;
  rls: boolean;
  force_rls: boolean;
  policies: { name: string; cmd: string; using: string | null; check: string | null }[];
}

async function canonTables(sql: Sql): Promise<CanonTable[]> {
  return sql<CanonTable[]>`
    SELECT n.nspname || '.' || c.relname AS name,
           format_type(a.atttypid, a.atttypmod) AS tenant_id_type,
           a.attnotnull AS tenant_id_not_null,
           EXISTS (SELECT 1 FROM pg_constraint f
                   WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid = 'kernel.tenants'::regclass
                     AND f.conkey = ARRAY[a.attnum]) AS tenant_fk,
           c.relrowsecurity AS rls,
           c.relforcerowsecurity AS force_rls,
           COALESCE((SELECT json_agg(json_build_object('name', p.polname, 'cmd', p.polcmd,
                                                       'using', pg_get_expr(p.polqual, p.polrelid),
                                                       'check', pg_get_expr(p.polwithcheck, p.polrelid)))
                     FROM pg_policy p WHERE p.polrelid = c.oid), '[]'::json) AS policies
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    WHERE n.nspname IN ('kernel', 'finance', 'config') AND c.relkind = 'r'
    ORDER BY 1`;
}
