import { afterEach, describe, expect, it } from 'vitest';
import { runCli, sum, tempProject, type TempProject } from '../helpers/project.js';
import { goodProject } from './fixtures.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

interface VerifyJson {
  ok: boolean;
  migrations: {
    version: number;
    name: string;
    down: string | null;
    status: string;
    differences: { change: string; kind: string; object: string; detail?: string }[];
    error?: { phase: string; file: string; line: number; column: number; code?: string; message: string };
  }[];
  durationMs: number;
}

async function verifyJson(dir: string, args: string[] = []) {
  const r = await runCli(['verify', '--json', ...args], { cwd: dir });
  let report: VerifyJson;
  try {
    report = JSON.parse(r.stdout) as VerifyJson;
  } catch {
    throw new Error(`verify did not print JSON (exit ${r.exitCode}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return { report, exitCode: r.exitCode, stderr: r.stderr };
}

describe('aibos verify (in-memory PGlite shadow)', () => {
  it('exits 0 when every down undoes its up, and the fixtures are lint-clean', async () => {
    project = tempProject(goodProject());
    await sum(project.dir);
    const lint = await runCli(['lint'], { cwd: project.dir });
    expect(lint.exitCode, lint.stdout).toBe(0);

    const r = await runCli(['verify'], { cwd: project.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^5 migrations round-trip on a fresh in-memory PGlite database \(\d+\.\d s\)$/);
    expect(r.stderr).toBe('');
  }, 120_000);

  it('names what each wrong down leaves, removes or changes, and each failing or missing down, in one run', async () => {
    project = tempProject({
      ...goodProject(),
      // 102: forgets the constraint
      'migrations/102_down.sql': '-- nothing to undo?\nSELECT 1;\n',
      // 103: forgets the policy, but turns RLS (forced and enabled) off
      'migrations/103_down.sql': 'ALTER TABLE finance.accounts NO FORCE ROW LEVEL SECURITY;\nALTER TABLE finance.accounts DISABLE ROW LEVEL SECURITY;\n',
      // 104: forgets the column
      'migrations/104_down.sql': '-- the column stays\n',
      // 105: its down fails on a typo, on line 4
      'migrations/105_finance_alter_accounts_balance.sql': '-- author: test\n-- reason: smaller balances\nALTER TABLE finance.accounts ALTER COLUMN balance TYPE integer;\n',
      'migrations/105_down.sql': '-- undo 105\n\nALTER TABLE finance.accounts\n  ALTER COLUMN balanse TYPE bigint;\n',
      // 106: no down at all
      'migrations/106_finance_add_accounts_flag.sql': '-- author: test\n-- reason: flag\nALTER TABLE finance.accounts ADD COLUMN flagged boolean NOT NULL DEFAULT false;\n',
    });
    const text = await runCli(['verify'], { cwd: project.dir });
    expect(text.exitCode, text.stderr).toBe(1);
    expect(text.stdout.split('\n')).toEqual([
      'migrations/102_down.sql leaves constraint finance.accounts.accounts_code_upper',
      'migrations/103_down.sql leaves policy finance.accounts.accounts_tenant_isolation',
      'migrations/104_down.sql leaves column finance.accounts.name',
      // the server gives no position for this one: the statement's first line and column
      'migrations/105_down.sql:3:1: down failed: column "balanse" of relation "accounts" does not exist (SQLSTATE 42703)',
      'migrations/106_finance_add_accounts_flag.sql: no down file — add 106_down.sql that undoes it',
      expect.stringMatching(/^5 of 7 migrations do not round-trip \(\d+\.\d s\)$/),
    ]);

    const { report, exitCode } = await verifyJson(project.dir);
    expect(exitCode).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.migrations.map((m) => [m.version, m.status])).toEqual([
      [1, 'ok'],
      [101, 'ok'],
      [102, 'differs'],
      [103, 'differs'],
      [104, 'differs'],
      [105, 'down-failed'],
      [106, 'no-down'],
    ]);
    const byVersion = new Map(report.migrations.map((m) => [m.version, m]));
    expect(byVersion.get(102)!.differences).toEqual([{ change: 'leaves', kind: 'constraint', object: 'finance.accounts.accounts_code_upper' }]);
    expect(byVersion.get(103)!.differences).toEqual([{ change: 'leaves', kind: 'policy', object: 'finance.accounts.accounts_tenant_isolation' }]);
    expect(byVersion.get(104)!).toMatchObject({ down: 'migrations/104_down.sql', differences: [{ change: 'leaves', kind: 'column', object: 'finance.accounts.name' }] });
    expect(byVersion.get(105)!.error).toMatchObject({ phase: 'down', file: 'migrations/105_down.sql', line: 3, column: 1, code: '42703' });
    expect(byVersion.get(106)!).toMatchObject({ down: null, differences: [] });
    expect(report.durationMs).toBeGreaterThan(0);
  }, 180_000);

  it('still compares catalogs when a migration drops the session\'s prepared statements (DEALLOCATE ALL)', async () => {
    project = tempProject({
      ...goodProject(),
      'migrations/105_finance_add_accounts_note.sql': '-- author: test\n-- reason: notes\nDEALLOCATE ALL;\nALTER TABLE finance.accounts ADD COLUMN IF NOT EXISTS note text;\n',
      'migrations/105_down.sql': 'DEALLOCATE ALL;\n',
    });
    await sum(project.dir);
    const { report, exitCode } = await verifyJson(project.dir);
    // The down leaves the column: seen, although each file emptied the statement cache before the snapshot.
    expect(exitCode).toBe(1);
    expect(report.migrations.filter((m) => m.status !== 'ok').map((m) => [m.name, m.status, m.differences.map((d) => `${d.change} ${d.kind} ${d.object}`)])).toEqual([
      ['migrations/105_finance_add_accounts_note.sql', 'differs', ['leaves column finance.accounts.note']],
    ]);
  });

  it('reports what a down removes or changes too much', async () => {
    project = tempProject({
      ...goodProject(),
      'migrations/105_finance_alter_accounts_balance.sql': '-- author: test\n-- reason: smaller balances\nALTER TABLE finance.accounts ALTER COLUMN balance TYPE integer;\n',
      // Undoes the type change, and also drops a column and an index that 101 created.
      'migrations/105_down.sql': 'ALTER TABLE finance.accounts ALTER COLUMN balance TYPE numeric;\nALTER TABLE finance.accounts DROP COLUMN code CASCADE;\nDROP INDEX finance.accounts_tenant_idx;\n',
    });
    const r = await runCli(['verify'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('migrations/105_down.sql changes column finance.accounts.balance: bigint -> numeric\n');
    expect(r.stdout).toContain('migrations/105_down.sql removes column finance.accounts.code\n');
    expect(r.stdout).toContain('migrations/105_down.sql removes index finance.accounts_tenant_idx\n');
    // the check on code went with the column: a removal, not noise about the remaining ones
    expect(r.stdout).toContain('migrations/105_down.sql removes constraint finance.accounts.accounts_code_upper\n');
    expect(r.stdout).toMatch(/1 of 6 migrations does not round-trip/);
  }, 120_000);

  it('pins a failing up to its file, line and column (after multi-byte text), and does not verify what follows', async () => {
    project = tempProject({
      ...goodProject(),
      'migrations/105_finance_add_accounts_label.sql':
        '-- author: tést 😀\n-- reason: labels\nALTER TABLE finance.accounts ADD COLUMN label text;\nCOMMENT ON COLUMN finance.accounts.label IS \'été 😀\'; UPDATE finance.accounts SET labl = \'x\';\n',
      'migrations/105_down.sql': 'ALTER TABLE finance.accounts DROP COLUMN label;\n',
      'migrations/106_finance_add_accounts_flag.sql': '-- author: test\n-- reason: flag\nALTER TABLE finance.accounts ADD COLUMN flagged boolean NOT NULL DEFAULT false;\n',
      'migrations/106_down.sql': 'ALTER TABLE finance.accounts DROP COLUMN flagged;\n',
    });
    const { report, exitCode } = await verifyJson(project.dir);
    expect(exitCode).toBe(1);
    const statuses = Object.fromEntries(report.migrations.map((m) => [m.version, m.status]));
    expect(statuses).toEqual({ 1: 'ok', 101: 'ok', 102: 'ok', 103: 'ok', 104: 'ok', 105: 'up-failed', 106: 'skipped' });
    // `labl` is at UTF-16 column 80 of line 4 (the emoji counts as two units, as in editors)
    const line4 = "COMMENT ON COLUMN finance.accounts.label IS 'été 😀'; UPDATE finance.accounts SET labl = 'x';";
    expect(report.migrations[5]!.error).toEqual({
      phase: 'up',
      file: 'migrations/105_finance_add_accounts_label.sql',
      line: 4,
      column: line4.indexOf('labl') + 1,
      code: '42703',
      message: 'column "labl" of relation "accounts" does not exist',
    });
    const text = await runCli(['verify'], { cwd: project.dir });
    expect(text.stdout).toContain(`migrations/105_finance_add_accounts_label.sql:4:${line4.indexOf('labl') + 1}: up failed: column "labl" of relation "accounts" does not exist (SQLSTATE 42703)\n`);
    expect(text.stdout).toMatch(/1 of 7 migrations does not round-trip, 1 not verified \(an earlier up failed\)/);
  }, 180_000);

  it('runs a file Postgres refuses inside a transaction (CREATE INDEX CONCURRENTLY, no directive) outside one, as migrate up does', async () => {
    project = tempProject({
      ...goodProject(),
      'migrations/105_finance_index_accounts_code.sql': '-- author: test\n-- reason: lookups by code\nCREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_code_idx ON finance.accounts (code);\n',
      'migrations/105_down.sql': 'DROP INDEX CONCURRENTLY IF EXISTS finance.accounts_code_idx;\n',
    });
    const { report, exitCode } = await verifyJson(project.dir);
    expect(report.migrations.find((m) => m.version === 105)).toMatchObject({ status: 'ok', differences: [] });
    expect(exitCode).toBe(0);
  }, 120_000);

  it('re-applies every up after the downs: a down that leaves a role (outside any schema) fails the second up', async () => {
    project = tempProject({
      ...goodProject(),
      'migrations/105_finance_create_reader_role.sql': '-- author: test\n-- reason: read-only role\nCREATE ROLE finance_reader NOLOGIN;\n',
      'migrations/105_down.sql': '-- roles are cluster-wide; this down forgets it\nSELECT 1;\n',
    });
    const { report, exitCode } = await verifyJson(project.dir);
    expect(exitCode).toBe(1);
    expect(report.migrations[5]).toMatchObject({
      version: 105,
      status: 'up-failed',
      differences: [],
      error: { phase: 'reapply', file: 'migrations/105_finance_create_reader_role.sql', line: 3, column: 1, code: '42710', message: 'role "finance_reader" already exists' },
    });
    expect(report.migrations.filter((m) => m.status !== 'ok').map((m) => m.version)).toEqual([105]);
  }, 120_000);

  it('exits 2 with one line when there is no migrations folder', async () => {
    project = tempProject({ 'README.md': 'empty\n' });
    const r = await runCli(['verify'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('aibos: No migrations folder at migrations — run `aibos init`, or set migrationsDir in the config.');
    expect(r.stdout).toBe('');
  });

  it('--json: a server it cannot use is one { ok: false, error } document on stdout, as migrate prints, without the password', async () => {
    project = tempProject({ 'migrations/001_kernel_create_tenants.sql': 'SELECT 1;\n' });
    const r = await runCli(['verify', '--json', '--url', 'postgres://u:secret@127.0.0.1:1/x'], { cwd: project.dir });
    const message =
      'Cannot use the database at 127.0.0.1:1 (database "x", user "u"): connection refused (is the server running and accepting TCP connections on that port?) — check the URL (--url, DATABASE_URL or the environment\'s url) and that the server is reachable.';
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: { kind: 'DatabaseError', message } });
    expect(r.stderr).toBe(`aibos: ${message}`);
    const migrate = await runCli(['migrate', 'status', '--json', '--url', 'postgres://u:secret@127.0.0.1:1/x'], { cwd: project.dir });
    expect(JSON.parse(migrate.stdout)).toEqual(JSON.parse(r.stdout));
    expect(`${r.stdout}${r.stderr}`).not.toContain('secret');
  });
});
