import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-idempotent');

it('require-idempotent writes the guarded DROP of a policy or trigger on its table', async () => {
  const diagnostics = (
    await lintFiles([{ name: '101_finance_drop_policies.sql', text: 'DROP POLICY tenant_isolation ON finance.accounts;\nDROP TRIGGER accounts_touch ON finance.accounts;\n' }])
  ).filter((d) => d.ruleId === 'require-idempotent');
  expect(diagnostics.map((d) => `${d.line}: ${d.help}`)).toEqual([
    '1: write DROP POLICY IF EXISTS tenant_isolation ON finance.accounts',
    '2: write DROP TRIGGER IF EXISTS accounts_touch ON finance.accounts',
  ]);
});
