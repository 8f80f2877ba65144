-- author: canon-team (AI-BOS founding engineering)
-- reason: permission definitions; global (no tenant_id, listed in tenancy.globalTables) because a permission is a capability the platform's code checks, identical for every tenant, while tenants choose which roles hold it in kernel.role_permissions
-- Seeds the base permissions (idempotent) and adds the foreign key from kernel.role_permissions (004).

CREATE TABLE IF NOT EXISTS kernel.permissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL,
  description text NOT NULL,
  is_privileged boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT permissions_code_key UNIQUE (code),
  CONSTRAINT permissions_code_check CHECK (code ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$')
);

CREATE OR REPLACE TRIGGER permissions_set_updated_at
  BEFORE UPDATE ON kernel.permissions
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

INSERT INTO kernel.permissions (code, description, is_privileged) VALUES
  ('kernel.users.manage', 'Invite, disable and edit users of the tenant', true),
  ('kernel.roles.manage', 'Create roles and assign permissions and users to them', true),
  ('kernel.audit.read', 'Read the tenant audit log', false),
  ('finance.accounts.manage', 'Maintain the chart of accounts and bank accounts', false),
  ('finance.transactions.create', 'Draft and submit payment requests', false),
  ('finance.transactions.approve', 'Approve or reject submitted payment requests', true),
  ('finance.journal.post', 'Post journal entries to the general ledger', true),
  ('config.settings.manage', 'Change tenant settings, policies and features', true)
ON CONFLICT (code) DO NOTHING;

-- role_permissions (004) predates this table. Dropped first so a re-run stays idempotent.
ALTER TABLE kernel.role_permissions DROP CONSTRAINT IF EXISTS role_permissions_permission_id_fkey;
-- aibos-ack constraint-missing-not-valid: 004 and 012 ship together in the canon, so role_permissions is empty here; validating costs nothing and NOT VALID would leave a never-validated constraint
ALTER TABLE kernel.role_permissions
  ADD CONSTRAINT role_permissions_permission_id_fkey
  FOREIGN KEY (permission_id) REFERENCES kernel.permissions (id);

GRANT SELECT ON kernel.permissions TO aibos_app, aibos_readonly;
GRANT ALL ON kernel.permissions TO aibos_migration, aibos_admin;
