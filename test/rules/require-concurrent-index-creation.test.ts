import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-concurrent-index-creation');

it('require-concurrent-index-creation names index and table, and gives the CONCURRENTLY statement', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\n" }, { name: '102_finance_alter_accounts.sql', text: "CREATE INDEX accounts_code_idx ON finance.accounts (code);\n" }])).filter((x) => x.ruleId === 'require-concurrent-index-creation');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.file).toBe('migrations/102_finance_alter_accounts.sql');
  expect(d.message).toContain('accounts_code_idx');
  expect(d.message).toContain('finance.accounts');
  expect(d.help).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_code_idx ON finance.accounts');
});
