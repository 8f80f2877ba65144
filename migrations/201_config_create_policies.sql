-- author: canon-team (AI-BOS founding engineering)
-- reason: versioned governance policies per tenant (e.g. approval thresholds), stored as JSON documents

CREATE TABLE IF NOT EXISTS config.policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  name text NOT NULL,
  policy_version integer NOT NULL DEFAULT 1,
  document jsonb NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT policies_tenant_id_name_policy_version_key UNIQUE (tenant_id, name, policy_version),
  CONSTRAINT policies_policy_version_check CHECK (policy_version > 0)
);

CREATE OR REPLACE TRIGGER policies_set_updated_at
  BEFORE UPDATE ON config.policies
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE config.policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE config.policies FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON config.policies;
CREATE POLICY tenant_isolation ON config.policies
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT ON config.policies TO aibos_app, aibos_readonly;
GRANT ALL ON config.policies TO aibos_migration, aibos_admin;
