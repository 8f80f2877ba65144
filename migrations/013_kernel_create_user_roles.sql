-- author: canon-team (AI-BOS founding engineering)
-- reason: user to role mapping per tenant; composite foreign keys keep both sides in the same tenant

CREATE TABLE IF NOT EXISTS kernel.user_roles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  user_id uuid NOT NULL,
  role_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_roles_tenant_id_user_id_role_id_key UNIQUE (tenant_id, user_id, role_id),
  CONSTRAINT user_roles_user_fkey FOREIGN KEY (tenant_id, user_id)
    REFERENCES kernel.users (tenant_id, id),
  CONSTRAINT user_roles_role_fkey FOREIGN KEY (tenant_id, role_id)
    REFERENCES kernel.roles (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS user_roles_tenant_id_role_id_idx
  ON kernel.user_roles (tenant_id, role_id);

CREATE OR REPLACE TRIGGER user_roles_set_updated_at
  BEFORE UPDATE ON kernel.user_roles
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE kernel.user_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.user_roles FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.user_roles;
CREATE POLICY tenant_isolation ON kernel.user_roles
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON kernel.user_roles TO aibos_app;
GRANT SELECT ON kernel.user_roles TO aibos_readonly;
GRANT ALL ON kernel.user_roles TO aibos_migration, aibos_admin;
