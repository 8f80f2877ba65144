import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANON_TABLES_SQL, CATALOG_SNAPSHOT_SQL, loadCanon } from './helpers.js';

// The embedded default target and shadow database of aibos: the canon must apply and revert there too.
const canon = loadCanon();

describe('AI-BOS Canon on PGlite (embedded)', () => {
  let db: PGlite;

  const run = async (label: string, text: string) => {
    try {
      await db.transaction((tx) => tx.exec(text));
    } catch (error) {
      throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
    }
  };
  const snapshot = async () => (await db.query<{ line: string }>(CATALOG_SNAPSHOT_SQL)).rows.map((r) => r.line);

  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
  }, 30_000);

  afterAll(async () => {
    await db?.close();
  });

  it('applies every up, enforces the ledger and tenant isolation, then every down restores the catalog', async () => {
    const before: string[][] = [];
    for (const m of canon) {
      before.push(await snapshot());
      await run(m.name, m.up);
    }
    expect((await db.query(CANON_TABLES_SQL)).rows.length).toBeGreaterThanOrEqual(22);

    const seeded = await db.query<{ tenant_id: string; company_id: string; cash: string; revenue: string }>(`
      WITH t AS (INSERT INTO kernel.tenants (slug, name) VALUES ('embedded', 'Embedded') RETURNING id),
           c AS (INSERT INTO finance.companies (tenant_id, code, legal_name, base_currency)
                 SELECT id, 'HQ', 'Embedded Ltd', 'EUR' FROM t RETURNING id, tenant_id),
           a AS (INSERT INTO finance.accounts (tenant_id, company_id, code, name, account_type, currency)
                 SELECT tenant_id, id, v.code, v.name, v.kind, 'EUR' FROM c,
                        (VALUES ('1000', 'Cash', 'asset'), ('4000', 'Revenue', 'revenue')) AS v(code, name, kind)
                 RETURNING id, code, tenant_id, company_id)
      SELECT tenant_id, company_id,
             max(id::text) FILTER (WHERE code = '1000') AS cash,
             max(id::text) FILTER (WHERE code = '4000') AS revenue
      FROM a GROUP BY tenant_id, company_id`);
    const { tenant_id: tenant, company_id: company, cash, revenue } = seeded.rows[0];

    const postEntry = (credit: number) =>
      db.transaction(async (tx) => {
        const entry = await tx.query<{ id: string }>(
          `INSERT INTO finance.journal_entries (tenant_id, company_id, entry_date, description)
           VALUES ($1, $2, current_date, 'embedded') RETURNING id`,
          [tenant, company],
        );
        const id = entry.rows[0].id;
        await tx.query(
          `INSERT INTO finance.journal_lines (tenant_id, journal_entry_id, account_id, debit_cents, credit_cents)
           VALUES ($1, $2, $3, 500, 0), ($1, $2, $4, 0, $5)`,
          [tenant, id, cash, revenue, credit],
        );
        return id;
      });
    const balanced = await postEntry(500);
    await expect(postEntry(400)).rejects.toMatchObject({ code: '23514' });
    await expect(db.query(`DELETE FROM finance.journal_lines WHERE journal_entry_id = $1`, [balanced])).rejects.toMatchObject({
      code: '23001',
    });

    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL ROLE aibos_app`);
      expect((await tx.query(`SELECT id FROM finance.accounts`)).rows).toHaveLength(0);
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
      expect((await tx.query(`SELECT id FROM finance.accounts`)).rows).toHaveLength(2);
    });

    // Downs walk back over the data written above: each one must still restore the catalog.
    for (let i = canon.length - 1; i >= 0; i--) {
      await run(`down of ${canon[i].name}`, canon[i].down);
      expect(await snapshot(), `down of ${canon[i].name}`).toEqual(before[i]);
    }
    expect((await db.query(CANON_TABLES_SQL)).rows).toHaveLength(0);
    // Nothing else in this embedded cluster uses the roles, so the roles' down dropped them.
    expect((await db.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'aibos\\_%'`)).rows).toHaveLength(0);
  }, 60_000);
});
