import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('prefer-text-field');

it('prefer-text-field names the column and gives text with a CHECK', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "CREATE TABLE finance.t (id uuid, title varchar(80));\n" }])).filter((x) => x.ruleId === 'prefer-text-field');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.level).toBe('shadow');
  expect(d.message).toContain('finance.t.title');
  expect(d.help).toContain('title text');
});
