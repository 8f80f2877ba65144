-- author: canon-team (AI-BOS founding engineering)
-- reason: chart of accounts and bank accounts per company; balances in integer cents (bigint), never float

CREATE TABLE IF NOT EXISTS finance.accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  company_id uuid NOT NULL,
  parent_account_id uuid,
  code text NOT NULL,
  name text NOT NULL,
  account_type text NOT NULL,
  currency text NOT NULL,
  is_bank_account boolean NOT NULL DEFAULT false,
  iban text,
  balance_cents bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT accounts_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT accounts_tenant_id_company_id_code_key UNIQUE (tenant_id, company_id, code),
  CONSTRAINT accounts_account_type_check
    CHECK (account_type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
  CONSTRAINT accounts_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT accounts_parent_check CHECK (parent_account_id <> id),
  CONSTRAINT accounts_company_fkey FOREIGN KEY (tenant_id, company_id)
    REFERENCES finance.companies (tenant_id, id),
  CONSTRAINT accounts_parent_account_fkey FOREIGN KEY (tenant_id, parent_account_id)
    REFERENCES finance.accounts (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS accounts_tenant_id_parent_account_id_idx
  ON finance.accounts (tenant_id, parent_account_id);

CREATE OR REPLACE TRIGGER accounts_set_updated_at
  BEFORE UPDATE ON finance.accounts
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.accounts FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.accounts;
CREATE POLICY tenant_isolation ON finance.accounts
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON finance.accounts TO aibos_app;
GRANT SELECT ON finance.accounts TO aibos_readonly;
GRANT ALL ON finance.accounts TO aibos_migration, aibos_admin;
