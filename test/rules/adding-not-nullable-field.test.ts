import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('adding-not-nullable-field');

it('adding-not-nullable-field names the column and gives the CHECK … NOT VALID route', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\n" }, { name: '102_finance_alter_accounts.sql', text: "ALTER TABLE finance.accounts ALTER COLUMN code SET NOT NULL;\n" }])).filter((x) => x.ruleId === 'adding-not-nullable-field');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('finance.accounts.code');
  expect(d.help).toContain('CHECK (code IS NOT NULL) NOT VALID');
});
