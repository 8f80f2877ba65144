import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('constraint-missing-not-valid');

it('constraint-missing-not-valid names the constraint and table, and gives NOT VALID then VALIDATE', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\n" }, { name: '102_finance_alter_accounts.sql', text: "ALTER TABLE finance.accounts ADD CONSTRAINT accounts_code_check CHECK (code <> '');\n" }])).filter((x) => x.ruleId === 'constraint-missing-not-valid');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('CHECK accounts_code_check');
  expect(d.message).toContain('finance.accounts');
  expect(d.help).toContain('NOT VALID');
  expect(d.help).toContain('VALIDATE CONSTRAINT accounts_code_check');
});
