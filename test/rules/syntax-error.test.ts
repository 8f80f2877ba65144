import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('syntax-error');

it('syntax-error spans the token the parser stopped at, and one column at the end of the input', async () => {
  const [typo] = await lintFiles([{ name: '101_finance_create_a.sql', text: "SELECT '😀😀';\nSELEC 1;\n" }]);
  expect(typo).toMatchObject({ ruleId: 'syntax-error', line: 2, column: 1, endLine: 2, endColumn: 6 });
  const [cut] = await lintFiles([{ name: '101_finance_create_a.sql', text: 'CREATE TABLE finance.a (id int' }]);
  expect(cut).toMatchObject({ ruleId: 'syntax-error', line: 1, column: 31, endLine: 1, endColumn: 31 });
});
