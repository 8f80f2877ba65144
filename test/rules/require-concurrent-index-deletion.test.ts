import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-concurrent-index-deletion');

it('require-concurrent-index-deletion names the index and gives DROP INDEX CONCURRENTLY', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\nCREATE INDEX IF NOT EXISTS accounts_code_idx ON finance.accounts (code);\n" }, { name: '102_finance_alter_accounts.sql', text: "DROP INDEX finance.accounts_code_idx;\n" }])).filter((x) => x.ruleId === 'require-concurrent-index-deletion');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('finance.accounts_code_idx');
  expect(d.help).toContain('DROP INDEX CONCURRENTLY IF EXISTS finance.accounts_code_idx');
});
