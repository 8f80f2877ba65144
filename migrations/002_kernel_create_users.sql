-- author: canon-team (AI-BOS founding engineering)
-- reason: identity store; users belong to one tenant, isolated by RLS, soft-deleted so audit rows keep their actor
-- UNIQUE (tenant_id, id) is the target of tenant-consistent composite foreign keys from other tables:
-- a row of tenant A can never point at a user of tenant B.

CREATE TABLE IF NOT EXISTS kernel.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  email text NOT NULL,
  display_name text,
  password_hash text,
  status text NOT NULL DEFAULT 'active',
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT users_email_check CHECK (position('@' IN email) > 1),
  CONSTRAINT users_status_check CHECK (status IN ('invited', 'active', 'disabled'))
);

-- One live account per e-mail address and tenant, case-insensitively.
CREATE UNIQUE INDEX IF NOT EXISTS users_tenant_id_email_key
  ON kernel.users (tenant_id, lower(email))
  WHERE deleted_at IS NULL;

CREATE OR REPLACE TRIGGER users_set_updated_at
  BEFORE UPDATE ON kernel.users
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE kernel.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.users FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.users;
CREATE POLICY tenant_isolation ON kernel.users
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
