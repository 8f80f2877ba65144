-- author: canon-team (AI-BOS founding engineering)
-- reason: feature flags per tenant with a percentage rollout

CREATE TABLE IF NOT EXISTS config.features (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  flag text NOT NULL,
  is_enabled boolean NOT NULL DEFAULT false,
  rollout_percent smallint NOT NULL DEFAULT 100,
  enabled_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT features_tenant_id_flag_key UNIQUE (tenant_id, flag),
  CONSTRAINT features_rollout_percent_check CHECK (rollout_percent BETWEEN 0 AND 100)
);

CREATE OR REPLACE TRIGGER features_set_updated_at
  BEFORE UPDATE ON config.features
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE config.features ENABLE ROW LEVEL SECURITY;
ALTER TABLE config.features FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON config.features;
CREATE POLICY tenant_isolation ON config.features
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT ON config.features TO aibos_app, aibos_readonly;
GRANT ALL ON config.features TO aibos_migration, aibos_admin;
