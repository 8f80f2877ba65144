import postgres from 'postgres';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli, tempProject, type TempProject } from '../helpers/project.js';
import { goodProject } from './fixtures.js';

const SERVER = process.env.AIBOS_TEST_DATABASE_URL;

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe.runIf(Boolean(SERVER))('aibos verify --url (a temporary database on a real server)', () => {
  const admin = postgres(SERVER ?? 'postgres://unused', { max: 1, onnotice: () => {} });
  afterAll(() => admin.end());
  const shadowDatabases = async () =>
    (await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE 'aibos\\_verify\\_%'`).map((r) => r.datname);

  it('reports the same round-trip problems as the embedded shadow and drops its database afterwards', async () => {
    const before = await shadowDatabases();
    project = tempProject({ ...goodProject(), 'migrations/102_down.sql': '-- forgot it\n' });
    const url = new URL(SERVER!);
    url.password = 'not-a-real-secret';
    const r = await runCli(['verify', '--url', url.toString(), '--json'], { cwd: project.dir });
    expect(r.exitCode, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; migrations: { version: number; status: string; differences: unknown[] }[] };
    expect(report.ok).toBe(false);
    expect(report.migrations.map((m) => [m.version, m.status])).toEqual([
      [1, 'ok'],
      [101, 'ok'],
      [102, 'differs'],
      [103, 'ok'],
      [104, 'ok'],
    ]);
    expect(report.migrations[2]!.differences).toEqual([{ change: 'leaves', kind: 'constraint', object: 'finance.accounts.accounts_code_upper' }]);
    expect(`${r.stdout}${r.stderr}`).not.toContain('not-a-real-secret');
    // Only databases this run created count: other test files may have their own shadows open.
    expect((await shadowDatabases()).filter((d) => !before.includes(d))).toEqual([]);
  }, 120_000);

  it('drops its database also when an up fails, and exits 0 on a project that round-trips', async () => {
    const before = await shadowDatabases();
    project = tempProject({ ...goodProject(), 'migrations/105_finance_break_accounts.sql': '-- author: test\n-- reason: break\nSELECT * FROM finance.nope;\n' });
    const failing = await runCli(['verify', '--url', SERVER!], { cwd: project.dir });
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain('migrations/105_finance_break_accounts.sql:3:15: up failed: relation "finance.nope" does not exist (SQLSTATE 42P01)');
    expect((await shadowDatabases()).filter((d) => !before.includes(d))).toEqual([]);

    project.cleanup();
    project = tempProject(goodProject());
    const passing = await runCli(['verify', '--url', SERVER!], { cwd: project.dir });
    expect(passing.exitCode, passing.stdout).toBe(0);
    expect(passing.stdout).toMatch(/^5 migrations round-trip on a temporary database on postgres:\/\/[^@ ]+@[^ ]+ \(\d+\.\d s\)$/);
  }, 120_000);
});
