import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../helpers/project.js';
import { events, hasServer, historyRows, tableExists, tableUp, useMigrateDatabase, type Project, type TestDatabase } from './helpers.js';

interface StatusJson {
  applied: { version: number; name: string; checksum: string; appliedAt: string }[];
  pending: { version: number; name: string }[];
  problems: { kind: string; version: number; file: string; message: string }[];
}

describe.runIf(hasServer)('aibos migrate on a real server', () => {
  let db: TestDatabase;
  let project: Project;

  useMigrateDatabase((s) => ({ db, project } = s));

  async function status(): Promise<{ doc: StatusJson; exitCode: number }> {
    const r = await project.migrate(['status', '--json']);
    return { doc: JSON.parse(r.stdout) as StatusJson, exitCode: r.exitCode };
  }

  it('applies pending migrations in version order with their history and audit rows, then is a no-op', async () => {
    project.addTable(1, 'tenants_a');
    project.addTable(2, 'ledgers');
    project.addTable(10, 'accounts');
    await project.sum();

    const first = await project.migrate(['up']);
    expect(first.stderr).toBe(first.stderr.replace(/\bat \S+\.js/, '')); // no stack
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/Applied 3 migrations \(1 → 10\)/);
    expect(first.stderr).toMatch(/applied 001_app_create_tenants_a\.sql/);

    const rows = await historyRows(db);
    expect(rows.map((r) => [r.version, r.name, r.execution_mode, r.status])).toEqual([
      ['1', '001_app_create_tenants_a.sql', 'transaction', 'applied'],
      ['2', '002_app_create_ledgers.sql', 'transaction', 'applied'],
      ['10', '010_app_create_accounts.sql', 'transaction', 'applied'],
    ]);
    expect(rows[0]!.applied_by).toMatch(/^postgres \(os: .+\)$/);
    expect(rows[0]).toMatchObject({ author: 'alice', reason: 'store tenants_a' });
    expect((await events(db)).map((e) => [e.event, e.version])).toEqual([
      ['up', '1'],
      ['up', '2'],
      ['up', '10'],
    ]);

    const again = await project.migrate(['up']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/Already up to date: 3 migrations applied/);
    expect(await events(db)).toHaveLength(3);

    const { doc, exitCode } = await status();
    expect(exitCode).toBe(0);
    expect(doc.applied.map((a) => a.version)).toEqual([1, 2, 10]);
    expect(doc.applied[0]).toEqual({ version: 1, name: '001_app_create_tenants_a.sql', checksum: expect.stringMatching(/^[0-9a-f]{64}$/), appliedAt: expect.any(String) });
    expect(doc.pending).toEqual([]);
    expect(doc.problems).toEqual([]);
  });

  it('--dry-run shows the plan and each execution mode and applies nothing; --to stops at a version', async () => {
    project.addTable(1, 'a');
    project.addTable(2, 'b');
    project.write('migrations/003_app_index_b.sql', '-- author: alice\n-- reason: faster lookups\nCREATE INDEX CONCURRENTLY IF NOT EXISTS b_tenant_idx ON app.b (tenant_id);\n');
    project.write('migrations/003_down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS app.b_tenant_idx;\n');
    await project.sum();

    const dry = await project.migrate(['up', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/Would apply 3 migrations/);
    expect(dry.stdout).toMatch(/003_app_index_b\.sql\s+no-transaction \(CREATE INDEX CONCURRENTLY\)/);
    expect(dry.stdout).toMatch(/001_app_create_a\.sql\s+transaction/);
    expect(await tableExists(db, 'aibos.schema_migrations')).toBe(false);

    const dryJson = await project.migrate(['up', '--dry-run', '--json']);
    const doc = JSON.parse(dryJson.stdout);
    expect(doc.planned.map((p: { version: number; executionMode: string }) => [p.version, p.executionMode])).toEqual([
      [1, 'transaction'],
      [2, 'transaction'],
      [3, 'no-transaction'],
    ]);

    const to = await project.migrate(['up', '--to', '2']);
    expect(to.exitCode).toBe(0);
    expect((await historyRows(db)).map((r) => r.version)).toEqual(['1', '2']);
    expect((await status()).doc.pending).toEqual([{ version: 3, name: '003_app_index_b.sql', classes: ['add-index'] }]);
  });

  it('runs CREATE INDEX CONCURRENTLY outside a transaction: the index is valid and the history says no-transaction', async () => {
    project.addTable(1, 'orders');
    project.write('migrations/002_app_index_orders.sql', '-- author: alice\n-- reason: tenant lookups\nCREATE INDEX CONCURRENTLY orders_tenant_idx ON app.orders (tenant_id);\n');
    project.write('migrations/002_down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS app.orders_tenant_idx;\n');
    await project.sum();
    const r = await project.migrate(['up']);
    expect(r.exitCode, r.stderr).toBe(0);
    const [index] = await db.sql`SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'orders_tenant_idx'`;
    expect(index?.indisvalid).toBe(true);
    const rows = await historyRows(db);
    expect(rows.find((x) => x.version === '2')).toMatchObject({ execution_mode: 'no-transaction', status: 'applied' });

    // And its down file runs outside a transaction too.
    const down = await project.migrate(['down']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await tableExists(db, 'app.orders_tenant_idx')).toBe(false);
  });

  it('down then up round-trips, highest version first, and refuses clearly without a down file', async () => {
    project.addTable(1, 'a');
    project.addTable(2, 'b');
    project.addTable(3, 'c');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);

    const one = await project.migrate(['down']);
    expect(one.exitCode).toBe(0);
    expect(one.stdout).toMatch(/Reverted 1 migration \(3\)/);
    expect(await tableExists(db, 'app.c')).toBe(false);

    const dry = await project.migrate(['down', '--to', '0', '--dry-run']);
    expect(dry.stdout).toMatch(/Would revert 2 migrations/);
    expect(await tableExists(db, 'app.b')).toBe(true);

    const all = await project.migrate(['down', '--to', '0', '--json']);
    expect(all.exitCode).toBe(0);
    expect(JSON.parse(all.stdout).reverted.map((s: { version: number }) => s.version)).toEqual([2, 1]);
    expect(await historyRows(db)).toEqual([]);
    expect(await tableExists(db, 'app.a')).toBe(false);

    const up = await project.migrate(['up']);
    expect(up.exitCode).toBe(0);
    expect((await historyRows(db)).map((r) => r.version)).toEqual(['1', '2', '3']);
    expect((await events(db)).map((e) => `${e.event}:${e.version}`)).toEqual(['up:1', 'up:2', 'up:3', 'down:3', 'down:2', 'down:1', 'up:1', 'up:2', 'up:3']);

    rmSync(path.join(project.dir, 'migrations/003_down.sql'));
    await project.sum();
    const missing = await project.migrate(['down']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no down file for migrations\/003_app_create_c\.sql \(version 3\)/);
    expect(await tableExists(db, 'app.c')).toBe(true);

    const both = await project.migrate(['down', '--steps', '1', '--to', '1']);
    expect(both.exitCode).toBe(2);
  });

  it('a failing statement names the file, line and column, the SQLSTATE and hint; nothing of it stays', async () => {
    project.addTable(1, 'a');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    project.write(
      'migrations/002_app_create_b.sql',
      `-- author: alice\n-- reason: b with a typo\nCREATE TABLE app.b (\n  id uuid PRIMARY KEY,\n  tenant_id uuid NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);\nINSERT INTO app.b (id, tenant_id) VALUES (gen_random_uuid(), gen_random_uuid());\n-- café ☕ before the error\nSELECT nosuch_column FROM app.b;\n`,
    );
    project.write('migrations/002_down.sql', 'DROP TABLE app.b;\n');
    await project.sum();

    const r = await project.migrate(['up']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/migrations\/002_app_create_b\.sql:11:8: SQLSTATE 42703: column "nosuch_column" does not exist/);
    expect(r.stderr).toMatch(/rolled back/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await tableExists(db, 'app.b')).toBe(false);
    expect((await historyRows(db)).map((x) => x.version)).toEqual(['1']);
    const failure = (await events(db)).at(-1)!;
    expect(failure).toMatchObject({ event: 'failure', version: '2' });
    expect(failure.detail).toMatchObject({ line: 11, column: 8, code: '42703' });

    const json = await project.migrate(['up', '--json']);
    expect(json.exitCode).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error.failure).toMatchObject({ file: 'migrations/002_app_create_b.sql', line: 11, column: 8, code: '42703' });

    // An error without a position points at the failing statement's first line.
    project.write('migrations/002_app_create_b.sql', `${tableUp('b')}CREATE TABLE app.a (id uuid, tenant_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());\n`);
    await project.sum();
    const dup = await project.migrate(['up']);
    expect(dup.exitCode).toBe(1);
    expect(dup.stderr).toMatch(/002_app_create_b\.sql:10:1: SQLSTATE 42P07: relation "a" already exists/);
    expect(await tableExists(db, 'app.b')).toBe(false);
  });

  it('refuses a tampered migration, naming the file and both checksums, and applies nothing', async () => {
    project.addTable(1, 'a');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    const [before] = await historyRows(db);
    const file = path.join(project.dir, 'migrations/001_app_create_a.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('store a', 'store things'));
    project.addTable(2, 'b');
    await project.sum();

    const r = await project.migrate(['up']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('checksum-mismatch: migrations/001_app_create_a.sql changed after it was applied');
    expect(r.stderr).toContain(`recorded checksum ${before!.checksum}`);
    expect(r.stderr).toMatch(/file checksum [0-9a-f]{64}/);
    expect(await tableExists(db, 'app.b')).toBe(false);
    expect(await historyRows(db)).toHaveLength(1);

    const s = await status();
    expect(s.exitCode).toBe(1);
    expect(s.doc.problems).toEqual([{ kind: 'checksum-mismatch', version: 1, file: 'migrations/001_app_create_a.sql', message: expect.stringContaining(before!.checksum) }]);
    const table = (await project.migrate(['status'])).stdout.split('\n');
    expect(table[1]).toMatch(/^VERSION\s+NAME\s+STATUS\s+APPLIED AT \(UTC\)\s+MODE\s+BY\s+CHANGES$/);
    expect(table[2]).toMatch(/^1\s+001_app_create_a\.sql\s+changed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+transaction\s+postgres \(os: .+\)$/);
    expect(table[3]).toMatch(/^2\s+002_app_create_b\.sql\s+pending\s+create-table, other$/);
    expect(table[4]).toBe('1 applied migration, 1 pending, 1 problem');

    const down = await project.migrate(['down']);
    expect(down.exitCode).toBe(1);
    expect(down.stderr.split('\n').slice(0, 2)).toEqual([
      'aibos: Nothing was reverted: one problem with the migration history —',
      `  checksum-mismatch: migrations/001_app_create_a.sql changed after it was applied: recorded checksum ${before!.checksum}, file checksum ${s.doc.problems[0]!.message.match(/file checksum ([0-9a-f]{64})/)![1]} — restore the applied text (git log -p migrations/001_app_create_a.sql); to change the schema, add a new migration.`,
    ]);
    expect(await tableExists(db, 'app.a')).toBe(true);
  });

  it('refuses when an applied file is missing', async () => {
    project.addTable(1, 'a');
    project.addTable(2, 'b');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    rmSync(path.join(project.dir, 'migrations/001_app_create_a.sql'));
    rmSync(path.join(project.dir, 'migrations/001_down.sql'));
    project.addTable(3, 'c');
    await project.sum();

    const r = await project.migrate(['up']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/missing-file: 001_app_create_a\.sql \(version 1\) is applied but no migration file has that version/);
    expect(await tableExists(db, 'app.c')).toBe(false);
    expect((await status()).doc.problems.map((p) => [p.kind, p.file])).toEqual([['missing-file', 'migrations/001_app_create_a.sql']]);
    expect((await project.migrate(['status'])).stdout.split('\n')[2]).toMatch(/^1\s+001_app_create_a\.sql\s+missing file\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+transaction\s+postgres \(os: .+\)$/);

    const down = await project.migrate(['down']);
    expect(down.exitCode).toBe(1);
    expect(down.stderr.split('\n')[0]).toBe('aibos: Nothing was reverted: one problem with the migration history —');
    expect(down.stderr).toMatch(/^ {2}missing-file: 001_app_create_a\.sql \(version 1\) is applied but no migration file has that version/m);
    expect(await tableExists(db, 'app.b')).toBe(true);
  });

  it('refuses an older migration merged in after newer ones, unless --allow-out-of-order', async () => {
    project.addTable(1, 'a');
    project.addTable(5, 'e');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    project.addTable(3, 'c');
    await project.sum();

    const r = await project.migrate(['up']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n')[1]).toBe(
      "  out-of-order: migrations/003_app_create_c.sql (version 3) is not applied, but version 5 already is — it was probably merged from an older branch: renumber it and its down file to 6, the next free number in app's range 1-999 (and run aibos sum), or apply it anyway with --allow-out-of-order.",
    );
    expect(await tableExists(db, 'app.c')).toBe(false);
    expect((await status()).doc.problems.map((p) => [p.kind, p.version])).toEqual([['out-of-order', 3]]);

    const allowed = await project.migrate(['up', '--allow-out-of-order']);
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect((await historyRows(db)).map((x) => x.version)).toEqual(['1', '3', '5']);
  });

  it('a kernel migration made after finance ones was applied cannot be renumbered: the hint says so and points to --allow-out-of-order', async () => {
    const user = tempProject({});
    const aibos = (args: string[]) => runCli(args, { cwd: user.dir });
    try {
      expect((await aibos(['init'])).exitCode).toBe(0);
      const finance = await aibos(['new', 'finance', 'create', 'accounts']);
      expect(finance.stderr).toBe('');
      expect((await aibos(['migrate', 'up', '--url', db.url])).stdout).toMatch(/^Applied 2 migrations \(1 → 100\)/);

      const kernel = await aibos(['new', 'kernel', 'add', 'tenant_column']);
      expect(kernel.exitCode).toBe(0);
      expect(kernel.stdout).toBe('migrations/002_kernel_add_tenant_column.sql\nmigrations/002_down.sql');
      expect(kernel.stderr).toBe(
        'aibos: 002_kernel_add_tenant_column.sql is numbered below 100_finance_create_accounts.sql: a database that already applied 100 will refuse it as out of order (aibos migrate up --allow-out-of-order applies it there, after review).',
      );

      const up = await aibos(['migrate', 'up', '--url', db.url]);
      expect(up.exitCode).toBe(1);
      expect(up.stderr.split('\n').slice(0, 2)).toEqual([
        'aibos: Nothing was applied: one problem with the migration history —',
        "  out-of-order: migrations/002_kernel_add_tenant_column.sql (version 2) is not applied, but version 100 already is — kernel's range 1-99 has no number above 100, so renumbering cannot fix it: review that it does not depend on what was applied after it, then apply it with --allow-out-of-order.",
      ]);
      const status = await aibos(['migrate', 'status', '--url', db.url]);
      expect(status.stdout).toContain("out-of-order: migrations/002_kernel_add_tenant_column.sql (version 2) is not applied, but version 100 already is — kernel's range 1-99 has no number above 100");
    } finally {
      user.cleanup();
      await db.sql.unsafe('DROP SCHEMA IF EXISTS finance CASCADE; DROP SCHEMA IF EXISTS kernel CASCADE');
    }
  });

  it('status --json reports duplicate versions and failed non-transactional runs', async () => {
    project.addTable(1, 'a');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    // A run that died during a non-transactional migration leaves its row 'running'.
    project.addIndexOnA();
    project.write('migrations/003_app_create_x.sql', tableUp('x'));
    project.write('migrations/003_app_create_y.sql', tableUp('y'));
    await project.sum();
    await db.sql`INSERT INTO aibos.schema_migrations (version, name, checksum, applied_by, execution_mode, status) VALUES (2, '002_app_index_a.sql', 'abc', 'test', 'no-transaction', 'running')`;

    const { doc, exitCode } = await status();
    expect(exitCode).toBe(1);
    expect(doc.problems.map((p) => `${p.kind}:${p.version}:${p.file}`).sort()).toEqual([
      'checksum-mismatch:2:migrations/002_app_index_a.sql',
      'duplicate-version:3:migrations/003_app_create_x.sql',
      'duplicate-version:3:migrations/003_app_create_y.sql',
      'failed:2:migrations/002_app_index_a.sql',
    ]);
    expect((await project.migrate(['status'])).stdout.split('\n')[3]).toMatch(/^2\s+002_app_index_a\.sql\s+running, changed\s+\d{4}-/);
    const up = await project.migrate(['up']);
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toMatch(/failed: migrations\/002_app_index_a\.sql \(no-transaction\) stopped part-way/);
  });

  it('clears a failed non-transactional run with down, then applies it again', async () => {
    project.addTable(1, 'a');
    project.addIndexOnA();
    await project.sum();
    expect((await project.migrate(['up', '--to', '1'])).exitCode).toBe(0);
    // Duplicate tenant ids make a unique index build fail part-way and leave an INVALID index.
    await db.sql.unsafe(`INSERT INTO app.a (tenant_id) SELECT '00000000-0000-0000-0000-000000000001' FROM generate_series(1, 3)`);
    project.write('migrations/002_app_index_a.sql', '-- author: alice\n-- reason: idx\nCREATE UNIQUE INDEX CONCURRENTLY a_idx ON app.a (tenant_id);\n');
    await project.sum();

    const failed = await project.migrate(['up']);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/002_app_index_a\.sql:3:1: SQLSTATE 23505/);
    expect(failed.stderr).toMatch(/INVALID index may remain/);
    expect((await historyRows(db)).find((r) => r.version === '2')).toMatchObject({ status: 'failed', execution_mode: 'no-transaction' });

    const down = await project.migrate(['down']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await tableExists(db, 'app.a_idx')).toBe(false);
    await db.sql.unsafe('DELETE FROM app.a');
    const up = await project.migrate(['up']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect((await historyRows(db)).find((r) => r.version === '2')).toMatchObject({ status: 'applied' });
  });

  it('stops at the lint gate: the pending file’s findings in stylish on stderr, nothing applied', async () => {
    project.addTable(1, 'a');
    project.write('migrations/002_app_create_b.sql', '-- author: alice\n-- reason: no tenant\nCREATE TABLE app.b (\n  id uuid PRIMARY KEY\n);\n');
    project.write('migrations/002_down.sql', 'DROP TABLE app.b;\n');
    await project.sum();

    const r = await project.migrate(['up']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/block\[require-tenant-id\]/);
    expect(r.stderr).toMatch(/--> migrations\/002_app_create_b\.sql:3:/);
    expect(r.stderr).toMatch(/Nothing was applied: lint found/);
    expect(await tableExists(db, 'app.a')).toBe(false);

    const json = await project.migrate(['up', '--json']);
    expect(json.exitCode).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.lint.diagnostics.map((d: { ruleId: string; file: string }) => `${d.ruleId} ${d.file}`)).toContain('require-tenant-id migrations/002_app_create_b.sql');

    // A stale aibos.sum is a run-level finding and stops the run too.
    project.write('migrations/002_app_create_b.sql', tableUp('b'));
    const stale = await project.migrate(['up']);
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toMatch(/migration-checksum/);
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
  });

  it('history lists the audit trail newest first, with author and reason', async () => {
    project.addTable(1, 'a');
    project.addTable(2, 'b');
    await project.sum();
    await project.migrate(['up']);
    await project.migrate(['down']);
    const r = await project.migrate(['history', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout) as { events: { event: string; version: number; author: string; reason: string; actor: string; env: string }[] };
    expect(doc.events.map((e) => `${e.event}:${e.version}`)).toEqual(['down:2', 'up:2', 'up:1']);
    expect(doc.events[1]).toMatchObject({ author: 'alice', reason: 'store b', env: 'dev', actor: expect.stringMatching(/^postgres \(os: /) });
    const text = await project.migrate(['history']);
    expect(text.stdout.split('\n')[1]).toMatch(/down\s+2\s+002_down\.sql|down\s+2\s+002_app_create_b\.sql/);
  });

  it('applies the config lockTimeout to each migration: a migration blocked by another session fails fast and rolls back', async () => {
    const configPath = path.join(project.dir, '.aibosrc.json');
    project.write('.aibosrc.json', JSON.stringify({ ...JSON.parse(readFileSync(configPath, 'utf8')), lockTimeout: '500ms' }));
    project.addTable(1, 'a');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    project.write('migrations/002_app_alter_a.sql', '-- author: alice\n-- reason: note column\nALTER TABLE app.a ADD COLUMN note text;\n');
    project.write('migrations/002_down.sql', 'ALTER TABLE app.a DROP COLUMN note;\n');
    await project.sum();

    const started = Date.now();
    const r = await db.sql.begin(async (tx) => {
      await tx`LOCK TABLE app.a IN ACCESS SHARE MODE`;
      return project.migrate(['up']);
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/002_app_alter_a\.sql:3:1: SQLSTATE 55P03: canceling statement due to lock timeout/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await historyRows(db)).map((x) => x.version)).toEqual(['1']);
  });

  it('uses the config schema and table names for history and audit', async () => {
    project.write('.aibosrc.json', JSON.stringify({ ...JSON.parse(readFileSync(path.join(project.dir, '.aibosrc.json'), 'utf8')), history: { schema: 'ops', table: 'applied', eventsTable: 'audit' } }));
    project.addTable(1, 'a');
    await project.sum();
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    const [row] = await db.sql`SELECT count(*)::int AS n FROM ops.applied`;
    const [ev] = await db.sql`SELECT count(*)::int AS n FROM ops.audit`;
    expect([row?.n, ev?.n]).toEqual([1, 1]);
    await db.sql.unsafe('DROP SCHEMA ops CASCADE');
  });
});
