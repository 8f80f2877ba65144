import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('prefer-identity');

it('prefer-identity names the column and gives the identity form', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "CREATE TABLE finance.t (id bigserial PRIMARY KEY);\n" }])).filter((x) => x.ruleId === 'prefer-identity');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.level).toBe('shadow');
  expect(d.message).toContain('finance.t.id is bigserial');
  expect(d.help).toContain('id bigint GENERATED ALWAYS AS IDENTITY');
});
