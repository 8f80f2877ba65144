import { afterEach, describe, expect, it } from 'vitest';
import { lintJson, runCli, tempProject, type TempProject } from './helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('aibos lint positions', () => {
  it('maps byte offsets to 1-based lines and UTF-16 columns after emoji and accents', async () => {
    project = tempProject({
      'migrations/101_finance_create_accounts.sql': '-- résumé 😀 naïve\n\n/* ünïcode 🎉 */ SELECT 1; CREATE TABLE finance.accounts (id uuid PRIMARY KEY);\n',
    });
    const { report, exitCode } = await lintJson(project.dir, ['migrations']);
    expect(exitCode).toBe(1);
    const tenant = report.diagnostics.find((d) => d.ruleId === 'require-tenant-id');
    expect(tenant).toMatchObject({ file: 'migrations/101_finance_create_accounts.sql', line: 3, column: 41, endLine: 3, endColumn: 57 });
  });

  it('reports one syntax-error per broken file at the parser position and still lints the others', async () => {
    project = tempProject({
      'migrations/101_finance_create_a.sql': '-- author: a\nSELECT 1;\nCREATE TABEL finance.x ();\n',
      'migrations/102_finance_create_b.sql': 'CREATE TABLE finance.b (id int);\n',
    });
    const { report } = await lintJson(project.dir);
    const fromA = report.diagnostics.filter((d) => d.file.endsWith('101_finance_create_a.sql'));
    expect(fromA).toHaveLength(1);
    expect(fromA[0]).toMatchObject({ ruleId: 'syntax-error', line: 3, column: 8 });
    expect(report.diagnostics.some((d) => d.file.endsWith('102_finance_create_b.sql') && d.ruleId === 'require-tenant-id')).toBe(true);
  });

  it('treats empty and comment-only files as zero statements, not errors', async () => {
    project = tempProject({ 'scratch/101_finance_create_a.sql': '', 'scratch/102_finance_create_b.sql': '-- nothing yet\n/* later */\n' });
    const { report } = await lintJson(project.dir, ['scratch']);
    expect(report.summary.files).toBe(2);
    expect(report.diagnostics).toEqual([]);
  });

  it('exits 2 on an unknown --format', async () => {
    project = tempProject({ 'migrations/101_finance_create_a.sql': 'SELECT 1;' });
    const r = await runCli(['lint', '--format', 'xml'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--format xml');
    expect(r.stdout).toBe('');
  });
});
