import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-where');

it('require-where names the table and the verb', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "DELETE FROM finance.accounts;\n" }])).filter((x) => x.ruleId === 'require-where');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toBe('DELETE on finance.accounts has no WHERE clause: it touches every row');
  expect(d.help).toContain('WHERE');
});
