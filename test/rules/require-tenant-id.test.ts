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

it('names keep the case they are written in: a quoted "Tenant_Id" is not tenant_id, and help SQL quotes what needs quotes', async () => {
  const text = 'CREATE TABLE IF NOT EXISTS finance."User" ("id" uuid PRIMARY KEY, "Tenant_Id" uuid NOT NULL, "createdAt" timestamp NOT NULL DEFAULT now());\n';
  const diagnostics = await lintFiles([
    { name: '101_finance_create_users.sql', text },
    { name: '102_finance_alter_users.sql', text: 'ALTER TABLE finance."User" DROP COLUMN "Tenant_Id";\n' },
  ]);
  const of = (ruleId: string) => diagnostics.filter((d) => d.ruleId === ruleId).map((d) => `${d.message} | ${d.help}`);
  expect(of('require-tenant-id')).toEqual(['table finance.User has no tenant_id column | add `tenant_id uuid NOT NULL REFERENCES kernel.tenants(id)`, or list finance.User in tenancy.globalTables if it is truly global']);
  expect(of('prefer-timestamptz')).toEqual([
    'finance."User".createdAt is `timestamp` without time zone: its values mean different instants depending on the server\'s and client\'s TimeZone | declare it `"createdAt" timestamptz`; it stores an absolute instant and costs the same 8 bytes',
  ]);
  expect(of('ban-drop-column')[0]).toContain('`COMMENT ON COLUMN finance."User"."Tenant_Id" IS');
});
