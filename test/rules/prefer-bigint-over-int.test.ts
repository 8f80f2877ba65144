import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('prefer-bigint-over-int');

it('prefer-bigint-over-int names the key column and suggests bigint identity for serial', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "CREATE TABLE finance.t (id serial PRIMARY KEY);\n" }])).filter((x) => x.ruleId === 'prefer-bigint-over-int');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.level).toBe('shadow');
  expect(d.message).toContain('primary key column finance.t.id is serial');
  expect(d.help).toContain('id bigint GENERATED ALWAYS AS IDENTITY');
});
