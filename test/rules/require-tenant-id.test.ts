import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-tenant-id');

it('require-tenant-id says what a later migration did to a compliant table', async () => {
  const diagnostics = (
    await lintFiles([
      { name: '101_finance_create_accounts.sql', text: 'CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);\nCREATE TABLE IF NOT EXISTS finance.ledgers (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);\n' },
      { name: '102_finance_alter_accounts.sql', text: 'ALTER TABLE finance.accounts ALTER COLUMN tenant_id TYPE text;\nALTER TABLE finance.ledgers DROP COLUMN tenant_id;\n' },
    ])
  ).filter((d) => d.ruleId === 'require-tenant-id');
  expect(diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
    'migrations/102_finance_alter_accounts.sql:1: finance.accounts.tenant_id is text, not uuid after this change',
    'migrations/102_finance_alter_accounts.sql:2: table finance.ledgers no longer has a tenant_id column after this change',
  ]);
});
