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
