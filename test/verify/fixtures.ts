/** Migrations for verify tests: lint-clean (tenant_id, timestamps, headers, names), with downs right and wrong. */
import { TENANTS_DOWN, TENANTS_UP } from '../helpers/project.js';

export const KERNEL = {
  'migrations/001_kernel_create_tenants.sql': TENANTS_UP,
  'migrations/001_down.sql': TENANTS_DOWN,
};

export const ACCOUNTS_UP = `-- author: test
-- reason: finance accounts
CREATE SCHEMA IF NOT EXISTS finance;
CREATE TABLE finance.accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  code text NOT NULL,
  balance bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_tenant_idx ON finance.accounts (tenant_id);
`;
export const ACCOUNTS_DOWN = `DROP TABLE finance.accounts;\nDROP SCHEMA finance;\n`;

export const CHECK_UP = `-- author: test
-- reason: account codes are upper case
ALTER TABLE finance.accounts ADD CONSTRAINT accounts_code_upper CHECK (code = upper(code));
`;
export const CHECK_DOWN = `ALTER TABLE finance.accounts DROP CONSTRAINT accounts_code_upper;\n`;

export const POLICY_UP = `-- author: test
-- reason: tenant isolation
ALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounts_tenant_isolation ON finance.accounts
  USING (tenant_id = current_setting('app.tenant_id')::uuid);
`;
export const POLICY_DOWN = `DROP POLICY accounts_tenant_isolation ON finance.accounts;\nALTER TABLE finance.accounts DISABLE ROW LEVEL SECURITY;\n`;

export const COLUMN_UP = `-- author: test
-- reason: account names
ALTER TABLE finance.accounts ADD COLUMN name text;
`;
export const COLUMN_DOWN = `ALTER TABLE finance.accounts DROP COLUMN name;\n`;

/** A project whose every down undoes its up. */
export function goodProject(): Record<string, string> {
  return {
    ...KERNEL,
    'migrations/101_finance_create_accounts.sql': ACCOUNTS_UP,
    'migrations/101_down.sql': ACCOUNTS_DOWN,
    'migrations/102_finance_add_accounts_code_check.sql': CHECK_UP,
    'migrations/102_down.sql': CHECK_DOWN,
    'migrations/103_finance_add_accounts_isolation.sql': POLICY_UP,
    'migrations/103_down.sql': POLICY_DOWN,
    'migrations/104_finance_add_accounts_name.sql': COLUMN_UP,
    'migrations/104_down.sql': COLUMN_DOWN,
  };
}
