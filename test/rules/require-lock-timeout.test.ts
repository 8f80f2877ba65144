import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-lock-timeout');

it('require-lock-timeout reports once per file and names SET lock_timeout', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_accounts.sql', text: "CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text NOT NULL, code text);\n" }, { name: '102_finance_alter_accounts.sql', text: "ALTER TABLE finance.accounts ADD COLUMN a text;\nALTER TABLE finance.accounts ADD COLUMN b text;\n" }])).filter((x) => x.ruleId === 'require-lock-timeout');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.line).toBe(1);
  expect(d.message).toContain('finance.accounts');
  expect(d.help).toContain("SET lock_timeout = '5s';");
});
