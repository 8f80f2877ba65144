-- author: canon-team (AI-BOS founding engineering)
-- reason: the database provider profile of each tenant (standard 5.1-5.3: requirements manifest, capabilities, limits); per tenant because BYOS tenants declare their own provider
-- secret_ref names a secret in the platform's secret store; credentials are never stored here.

CREATE TABLE IF NOT EXISTS config.provider_profiles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  provider text NOT NULL,
  region text NOT NULL,
  deployment_mode text NOT NULL DEFAULT 'managed',
  requirements jsonb NOT NULL DEFAULT '{}'::jsonb,
  capabilities jsonb NOT NULL DEFAULT '{}'::jsonb,
  limits jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret_ref text,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT provider_profiles_tenant_id_provider_region_key UNIQUE (tenant_id, provider, region),
  CONSTRAINT provider_profiles_deployment_mode_check
    CHECK (deployment_mode IN ('managed', 'byos', 'hybrid'))
);

-- At most one default profile per tenant.
CREATE UNIQUE INDEX IF NOT EXISTS provider_profiles_tenant_id_default_key
  ON config.provider_profiles (tenant_id)
  WHERE is_default;

CREATE OR REPLACE TRIGGER provider_profiles_set_updated_at
  BEFORE UPDATE ON config.provider_profiles
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE config.provider_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE config.provider_profiles FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON config.provider_profiles;
CREATE POLICY tenant_isolation ON config.provider_profiles
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT ON config.provider_profiles TO aibos_app, aibos_readonly;
GRANT ALL ON config.provider_profiles TO aibos_migration, aibos_admin;
