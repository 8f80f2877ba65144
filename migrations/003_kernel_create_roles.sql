-- author: canon-team (AI-BOS founding engineering)
-- reason: permission containers defined per tenant (a tenant names its own roles), isolated by RLS

CREATE TABLE IF NOT EXISTS kernel.roles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  key text NOT NULL,
  name text NOT NULL,
  description text,
  is_system boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT roles_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT roles_tenant_id_key_key UNIQUE (tenant_id, key),
  CONSTRAINT roles_key_check CHECK (key ~ '^[a-z][a-z0-9_]*$')
);

CREATE OR REPLACE TRIGGER roles_set_updated_at
  BEFORE UPDATE ON kernel.roles
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE kernel.roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.roles FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.roles;
CREATE POLICY tenant_isolation ON kernel.roles
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
