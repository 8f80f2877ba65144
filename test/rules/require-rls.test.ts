import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-rls');

describe('require-rls messages', () => {
  it('lists what is missing and the SQL that fixes it', async () => {
    const [finding] = (await lintFiles([{ name: '101_finance_create_a.sql', text: 'CREATE TABLE IF NOT EXISTS finance.accounts (id uuid, tenant_id uuid NOT NULL);\nALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;\n' }])).filter(
      (d) => d.ruleId === 'require-rls',
    );
    expect(finding?.message).toBe('tenant table finance.accounts lacks FORCE ROW LEVEL SECURITY and a policy comparing tenant_id by the end of the migrations');
    expect(finding?.help).toContain('ALTER TABLE finance.accounts FORCE ROW LEVEL SECURITY;');
  });

  it('names an always-true USING or WITH CHECK and what each lets a tenant do', async () => {
    const table = 'CREATE TABLE IF NOT EXISTS finance.accounts (id uuid, tenant_id uuid NOT NULL);\nALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;\nALTER TABLE finance.accounts FORCE ROW LEVEL SECURITY;\n';
    const isolation = "CREATE POLICY tenant_isolation ON finance.accounts USING (tenant_id = current_setting('app.tenant_id')::uuid);\n";
    const open = 'CREATE POLICY anyone ON finance.accounts FOR SELECT USING (1 = 1);\nCREATE POLICY writer ON finance.accounts FOR INSERT WITH CHECK (true);\n';
    const findings = (await lintFiles([{ name: '101_finance_create_a.sql', text: table + isolation + open }])).filter((d) => d.ruleId === 'require-rls');
    expect(findings.map((d) => `${d.line}: ${d.message}`)).toEqual([
      '5: policy anyone on finance.accounts has a USING that is always true: every tenant sees every row (permissive policies are OR-ed)',
      "6: policy writer on finance.accounts has WITH CHECK (true): a tenant can write rows into every other tenant's data (permissive policies are OR-ed)",
    ]);
  });
});
