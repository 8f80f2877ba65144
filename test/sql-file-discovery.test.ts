import { afterEach, describe, expect, it } from 'vitest';
import { lintJson, tempProject, type TempProject } from './helpers/project.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

describe('lint a folder of migrations', () => {
  it('counts .sql and .sql.postgres files, and finds safety issues in both', async () => {
    project = tempProject({
      'legacy/01_create.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, code text);\n',
      'legacy/02_index.sql.postgres': 'CREATE INDEX accounts_code_idx ON accounts (code);\n',
      'legacy/03_empty.sql': '',
      'legacy/notes.txt': 'not sql',
    });
    const { report, exitCode } = await lintJson(project.dir, ['legacy']);
    expect(exitCode).toBe(1);
    expect(report.summary.files).toBe(3);
    const index = report.diagnostics.filter((d) => d.ruleId === 'require-concurrent-index-creation');
    expect(index.map((d) => `${d.file}:${d.line}`)).toEqual(['legacy/02_index.sql.postgres:1']);
    expect(report.diagnostics.filter((d) => d.ruleId === 'syntax-error')).toEqual([]);
  });
});

describe('lint files named on the command line', () => {
  it('leaves out the non-SQL files a shell glob names (aibos.sum, a README), as the folder walk does', async () => {
    project = tempProject({
      'legacy/01_create.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, code text);\n',
      'legacy/aibos.sum': 'h1:abc\n01_create.sql h1:def\n',
      'legacy/README.md': '# notes\n',
    });
    const { report } = await lintJson(project.dir, ['legacy/01_create.sql', 'legacy/aibos.sum', 'legacy/README.md']);
    expect(report.summary.files).toBe(1);
    expect(report.diagnostics.filter((d) => d.file !== 'legacy/01_create.sql')).toEqual([]);
  });
});

describe('an up file named on its own', () => {
  it('counts the down file next to it on disk, and still asks for one when there is none', async () => {
    project = tempProject({
      'migrations/101_finance_create_accounts.sql': '-- author: a\n-- reason: b\nCREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY);\n',
      'migrations/101_down.sql': 'DROP TABLE IF EXISTS finance.accounts;\n',
      'migrations/102_finance_create_ledgers.sql': '-- author: a\n-- reason: b\nCREATE TABLE IF NOT EXISTS finance.ledgers (id uuid PRIMARY KEY);\n',
    });
    const { report } = await lintJson(project.dir, ['migrations/101_finance_create_accounts.sql', 'migrations/102_finance_create_ledgers.sql']);
    expect(report.summary.files).toBe(2);
    const downs = report.diagnostics.filter((d) => d.ruleId === 'require-down-file');
    expect(downs.map((d) => `${d.file}: ${d.message}`)).toEqual(['migrations/102_finance_create_ledgers.sql: 102_finance_create_ledgers.sql has no down file']);
  });
});
