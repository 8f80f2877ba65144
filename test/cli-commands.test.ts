import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintJson, runCli, tempProject, type TempProject } from './helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('aibos init and aibos new', () => {
  it('init writes the config, a tenants migration, the sum and .gitignore; new adds a pair that lints clean', async () => {
    project = tempProject({});
    const init = await runCli(['init'], { cwd: project.dir });
    expect(init.exitCode).toBe(0);
    expect(readdirSync(path.join(project.dir, 'migrations')).sort()).toEqual(['001_down.sql', '001_kernel_create_tenants.sql', 'aibos.sum']);
    expect(readFileSync(path.join(project.dir, '.gitignore'), 'utf8')).toContain('.aibos/');
    expect(JSON.parse(readFileSync(path.join(project.dir, '.aibosrc.json'), 'utf8')).migrationsDir).toBe('migrations');

    const first = await runCli(['new', 'finance', 'create', 'accounts'], { cwd: project.dir });
    expect(first.exitCode).toBe(0);
    expect(first.stdout.split('\n').filter(Boolean)).toEqual(['migrations/100_finance_create_accounts.sql', 'migrations/100_down.sql']);
    const second = await runCli(['new', 'finance', 'create', 'ledgers'], { cwd: project.dir });
    expect(second.stdout).toContain('migrations/101_finance_create_ledgers.sql');
    const config = await runCli(['new', 'config', 'add', 'feature_flags'], { cwd: project.dir });
    expect(config.stdout).toContain('migrations/200_config_add_feature_flags.sql');
    // new writes aibos.sum from the texts it read plus its two files: the same text `aibos sum` writes.
    const sumPath = path.join(project.dir, 'migrations', 'aibos.sum');
    const afterNew = readFileSync(sumPath, 'utf8');
    expect(afterNew.split('\n').filter((l) => l.endsWith('.sql')).map((l) => l.split('  ')[1])).toEqual([
      '001_kernel_create_tenants.sql', '001_down.sql', '100_finance_create_accounts.sql', '100_down.sql',
      '101_finance_create_ledgers.sql', '101_down.sql', '200_config_add_feature_flags.sql', '200_down.sql',
    ]);
    expect((await runCli(['sum'], { cwd: project.dir })).exitCode).toBe(0);
    expect(readFileSync(sumPath, 'utf8')).toBe(afterNew);

    const { report, exitCode } = await lintJson(project.dir);
    expect(report.diagnostics.filter((d) => !d.acknowledged && d.level !== 'shadow')).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report.summary.files).toBe(8);
  });

  it('new refuses a schema without a range and names that are not snake_case', async () => {
    project = tempProject({ 'migrations/.keep': '' });
    const schema = await runCli(['new', 'billing', 'create', 'invoices'], { cwd: project.dir });
    expect(schema.exitCode).toBe(2);
    expect(schema.stderr).toContain('schema "billing" has no range');
    const name = await runCli(['new', 'finance', 'create', 'Invoices'], { cwd: project.dir });
    expect(name.exitCode).toBe(2);
    expect(name.stderr).toContain('lower snake_case');
  });
});

describe('usage errors', () => {
  it('migrate and hook without a subcommand print their help on stderr and exit 2; --help exits 0', async () => {
    project = tempProject({});
    for (const command of ['migrate', 'hook']) {
      const r = await runCli([command], { cwd: project.dir });
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')[0]).toBe(`Usage: aibos ${command} [options] [command]`);
    }
    expect((await runCli(['migrate'], { cwd: project.dir })).stderr).toMatch(/^ {2}up \[options\] /m);
    const help = await runCli(['migrate', '--help'], { cwd: project.dir });
    expect(help.exitCode).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('Usage: aibos migrate [options] [command]');
  });

  it('approve names the missing <seq> first, then a missing --reason', async () => {
    project = tempProject({});
    const bare = await runCli(['approve'], { cwd: project.dir });
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toBe("error: missing required argument 'seq'\n(run with --help for usage)");
    const noReason = await runCli(['approve', '105'], { cwd: project.dir });
    expect(noReason.exitCode).toBe(2);
    expect(noReason.stderr).toBe('aibos: --reason is missing — say why this migration is safe to apply (aibos approve 105 --reason "…"); it is stored in the audit trail.');
  });
});

describe('aibos sum', () => {
  it('makes a stale sum pass again and names the changed file before that', async () => {
    project = tempProject({});
    await runCli(['init'], { cwd: project.dir });
    project.write('migrations/001_kernel_create_tenants.sql', readFileSync(path.join(project.dir, 'migrations/001_kernel_create_tenants.sql'), 'utf8') + '\n-- edited\n');
    const stale = await lintJson(project.dir);
    expect(stale.report.diagnostics.filter((d) => d.ruleId === 'migration-checksum').map((d) => [d.file, d.message.split(' (')[0]])).toEqual([
      ['migrations/001_kernel_create_tenants.sql', '001_kernel_create_tenants.sql changed since aibos.sum was written'],
    ]);
    expect((await runCli(['sum'], { cwd: project.dir })).stdout).toBe('wrote migrations/aibos.sum (2 files)');
    expect((await lintJson(project.dir)).exitCode).toBe(0);
  });
});

describe('aibos rules', () => {
  it('lists every rule with level and category, as text and JSON, and prints one rule doc', async () => {
    project = tempProject({});
    const json = await runCli(['rules', '--format', 'json'], { cwd: project.dir });
    expect(json.exitCode).toBe(0);
    const rules = JSON.parse(json.stdout) as { id: string; level: string; category: string; summary: string }[];
    expect(rules.find((r) => r.id === 'require-tenant-id')).toMatchObject({ level: 'block', category: 'governance' });
    expect(rules.every((r) => r.summary.length > 10)).toBe(true);
    const doc = await runCli(['rules', 'require-tenant-id'], { cwd: project.dir });
    expect(doc.stdout.startsWith('# require-tenant-id\n')).toBe(true);
    const unknown = await runCli(['rules', 'require-tenant'], { cwd: project.dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('did you mean "require-tenant-id"?');
  });
});

describe('stylish report', () => {
  const sql = '\uFEFF-- author: a\r\n-- reason: r\r\nSELECT 1; CREATE TABLE IF NOT EXISTS finance.notes (\r\n  id uuid PRIMARY KEY\r\n);\r\n';

  it('prints a code frame with a caret under the span, help and docs, and a summary; no colour without a TTY', async () => {
    project = tempProject({ 'm/101_finance_create_notes.sql': sql });
    const r = await runCli(['lint', 'm'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      [
        'block[require-tenant-id]: table finance.notes has no tenant_id column',
        ' --> m/101_finance_create_notes.sql:3:38',
        '  |',
        '3 | SELECT 1; CREATE TABLE IF NOT EXISTS finance.notes (',
        `  | ${' '.repeat(37)}${'^'.repeat(13)}`,
        '  = help: add `tenant_id uuid NOT NULL REFERENCES kernel.tenants(id)`, or list finance.notes in tenancy.globalTables if it is truly global',
        '  = docs: aibos rules require-tenant-id',
      ].join('\n'),
    );
    expect(r.stdout).toMatch(/✖ \d+ failing findings in 1 file \(\d+ block, \d+ warn\)$/);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stderr).toBe('');
  });

  it('dims nothing and hides shadow findings with --quiet', async () => {
    project = tempProject({ 'm/101_finance_create_notes.sql': sql });
    const quietRules = ['--rule', 'require-timestamps=off', '--rule', 'require-down-file=off', '--rule', 'require-soft-delete=off'];
    const loud = await runCli(['lint', 'm', '--rule', 'require-tenant-id=shadow', ...quietRules], { cwd: project.dir });
    expect(loud.stdout).toContain('shadow[require-tenant-id]');
    expect(loud.exitCode).toBe(0);
    const quiet = await runCli(['lint', 'm', '--quiet', '--rule', 'require-tenant-id=shadow', ...quietRules], { cwd: project.dir });
    expect(quiet.stdout).not.toContain('require-tenant-id]');
    expect(quiet.stdout).toContain('1 shadow (hidden by --quiet)');
  });

  it('colours on FORCE_COLOR and not with NO_COLOR', async () => {
    project = tempProject({ 'm/101_finance_create_notes.sql': sql });
    const coloured = await runCli(['lint', 'm'], { cwd: project.dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await runCli(['lint', 'm'], { cwd: project.dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
  });
});

describe('positions with a BOM and CRLF', () => {
  it('ignores the BOM in columns and treats CRLF as one line break', async () => {
    project = tempProject({ 'm/101_finance_create_notes.sql': '\uFEFFSELECT 1;\r\nCREATE TABLE IF NOT EXISTS finance.notes (\r\n  id uuid PRIMARY KEY,\r\n  tenant_id uuid\r\n);\r\n' });
    const { report } = await lintJson(project.dir, ['m']);
    expect(report.diagnostics.find((d) => d.ruleId === 'require-tenant-id')).toMatchObject({ line: 4, column: 3, endLine: 4, endColumn: 12 });
  });
});
