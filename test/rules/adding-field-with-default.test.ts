import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('adding-field-with-default');

it('adding-field-with-default names the column and the volatile function', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\n" }, { name: '102_finance_alter_accounts.sql', text: "ALTER TABLE finance.accounts ADD COLUMN public_id uuid DEFAULT gen_random_uuid();\n" }])).filter((x) => x.ruleId === 'adding-field-with-default');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('finance.accounts.public_id');
  expect(d.message).toContain('gen_random_uuid()');
  expect(d.help).toContain('SET DEFAULT');
});
