-- author: canon-team (AI-BOS founding engineering)
-- reason: config schema (standard 4.2: read by all, written by admin), its role privileges, and per-tenant key/value settings
-- Config is written by aibos_admin or aibos_migration; the application role only reads it.

CREATE SCHEMA IF NOT EXISTS config;

GRANT USAGE ON SCHEMA config TO aibos_app, aibos_readonly;
GRANT USAGE, CREATE ON SCHEMA config TO aibos_migration, aibos_admin;

CREATE TABLE IF NOT EXISTS config.settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  key text NOT NULL,
  value jsonb NOT NULL,
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT settings_tenant_id_key_key UNIQUE (tenant_id, key),
  CONSTRAINT settings_key_check CHECK (key ~ '^[a-z][a-z0-9_.]*$')
);

CREATE OR REPLACE TRIGGER settings_set_updated_at
  BEFORE UPDATE ON config.settings
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE config.settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE config.settings FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON config.settings;
CREATE POLICY tenant_isolation ON config.settings
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT ON config.settings TO aibos_app, aibos_readonly;
GRANT ALL ON config.settings TO aibos_migration, aibos_admin;
