-- author: canon-team (AI-BOS founding engineering)
-- reason: exchange rates per tenant at high precision, numeric(20,10), never float

CREATE TABLE IF NOT EXISTS finance.fx_rates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  base_currency text NOT NULL,
  quote_currency text NOT NULL,
  rate numeric(20,10) NOT NULL,
  as_of timestamptz NOT NULL,
  source text NOT NULL DEFAULT 'manual',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT fx_rates_tenant_id_pair_as_of_key UNIQUE (tenant_id, base_currency, quote_currency, as_of),
  CONSTRAINT fx_rates_base_currency_check CHECK (base_currency ~ '^[A-Z]{3}$'),
  CONSTRAINT fx_rates_quote_currency_check CHECK (quote_currency ~ '^[A-Z]{3}$'),
  CONSTRAINT fx_rates_pair_check CHECK (base_currency <> quote_currency),
  CONSTRAINT fx_rates_rate_check CHECK (rate > 0)
);

CREATE OR REPLACE TRIGGER fx_rates_set_updated_at
  BEFORE UPDATE ON finance.fx_rates
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE finance.fx_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.fx_rates FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.fx_rates;
CREATE POLICY tenant_isolation ON finance.fx_rates
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON finance.fx_rates TO aibos_app;
GRANT SELECT ON finance.fx_rates TO aibos_readonly;
GRANT ALL ON finance.fx_rates TO aibos_migration, aibos_admin;
