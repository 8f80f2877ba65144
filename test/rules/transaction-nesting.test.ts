import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('transaction-nesting');

it('transaction-nesting names the statement and says the runner owns the transaction', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "CREATE TABLE IF NOT EXISTS finance.x (id uuid);\nCOMMIT;\n" }])).filter((x) => x.ruleId === 'transaction-nesting');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.line).toBe(2);
  expect(d.message).toContain('COMMIT');
  expect(d.help).toMatch(/remove it/);
});
