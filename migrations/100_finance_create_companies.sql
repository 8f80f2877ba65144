-- author: canon-team (AI-BOS founding engineering)
-- reason: finance schema, its role privileges, and legal entities (companies) per tenant; every finance table hangs off a company

CREATE SCHEMA IF NOT EXISTS finance;

GRANT USAGE ON SCHEMA finance TO aibos_app, aibos_readonly;
GRANT USAGE, CREATE ON SCHEMA finance TO aibos_migration, aibos_admin;

CREATE TABLE IF NOT EXISTS finance.companies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  code text NOT NULL,
  legal_name text NOT NULL,
  base_currency text NOT NULL,
  country_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT companies_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT companies_tenant_id_code_key UNIQUE (tenant_id, code),
  CONSTRAINT companies_base_currency_check CHECK (base_currency ~ '^[A-Z]{3}$'),
  CONSTRAINT companies_country_code_check CHECK (country_code ~ '^[A-Z]{2}$')
);

CREATE OR REPLACE TRIGGER companies_set_updated_at
  BEFORE UPDATE ON finance.companies
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE finance.companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.companies FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.companies;
CREATE POLICY tenant_isolation ON finance.companies
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

-- Finance business data is soft-deleted: the application gets no DELETE, it sets deleted_at.
GRANT SELECT, INSERT, UPDATE ON finance.companies TO aibos_app;
GRANT SELECT ON finance.companies TO aibos_readonly;
GRANT ALL ON finance.companies TO aibos_migration, aibos_admin;
