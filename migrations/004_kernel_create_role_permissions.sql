-- author: canon-team (AI-BOS founding engineering)
-- reason: role to permission mapping per tenant; the foreign key on permission_id is added by 012, which creates kernel.permissions

CREATE TABLE IF NOT EXISTS kernel.role_permissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  role_id uuid NOT NULL,
  permission_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT role_permissions_tenant_id_role_id_permission_id_key UNIQUE (tenant_id, role_id, permission_id),
  CONSTRAINT role_permissions_role_fkey FOREIGN KEY (tenant_id, role_id)
    REFERENCES kernel.roles (tenant_id, id)
);

-- Covers the permission foreign key that 012 adds (lookups "which roles grant X").
CREATE INDEX IF NOT EXISTS role_permissions_permission_id_idx
  ON kernel.role_permissions (permission_id);

CREATE OR REPLACE TRIGGER role_permissions_set_updated_at
  BEFORE UPDATE ON kernel.role_permissions
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE kernel.role_permissions ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.role_permissions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.role_permissions;
CREATE POLICY tenant_isolation ON kernel.role_permissions
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
