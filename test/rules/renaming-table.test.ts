import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('renaming-table');

it('renaming-table names the old and new table', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\n" }, { name: '102_finance_alter_accounts.sql', text: "ALTER TABLE finance.accounts RENAME TO ledger_accounts;\n" }])).filter((x) => x.ruleId === 'renaming-table');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('finance.accounts');
  expect(d.message).toContain('ledger_accounts');
  expect(d.help).toContain('view');
});
