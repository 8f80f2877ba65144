import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-rls');

describe('require-rls messages', () => {
  it('lists what is missing and the SQL that fixes it', async () => {
    const [finding] = (await lintFiles([{ name: '101_finance_create_a.sql', text: 'CREATE TABLE IF NOT EXISTS finance.accounts (id uuid, tenant_id uuid NOT NULL);\nALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;\n' }])).filter(
      (d) => d.ruleId === 'require-rls',
    );
    expect(finding?.message).toBe('tenant table finance.accounts lacks FORCE ROW LEVEL SECURITY, a policy comparing tenant_id by the end of the migrations');
    expect(finding?.help).toContain('ALTER TABLE finance.accounts FORCE ROW LEVEL SECURITY;');
  });
});
