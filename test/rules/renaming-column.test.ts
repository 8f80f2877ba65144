import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('renaming-column');

it('renaming-column names the old and new column', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\n" }, { name: '102_finance_alter_accounts.sql', text: "ALTER TABLE finance.accounts RENAME COLUMN code TO account_code;\n" }])).filter((x) => x.ruleId === 'renaming-column');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('finance.accounts.code');
  expect(d.message).toContain('account_code');
  expect(d.help).toContain('new column');
});
