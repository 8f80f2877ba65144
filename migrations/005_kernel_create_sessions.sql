-- author: canon-team (AI-BOS founding engineering)
-- reason: active JWT sessions per user and tenant; only a hash of the token is stored, never the token

CREATE TABLE IF NOT EXISTS kernel.sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip_address inet,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
  CONSTRAINT sessions_expiry_check CHECK (expires_at > issued_at),
  CONSTRAINT sessions_user_fkey FOREIGN KEY (tenant_id, user_id)
    REFERENCES kernel.users (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS sessions_tenant_id_user_id_idx
  ON kernel.sessions (tenant_id, user_id);

CREATE OR REPLACE TRIGGER sessions_set_updated_at
  BEFORE UPDATE ON kernel.sessions
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE kernel.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.sessions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.sessions;
CREATE POLICY tenant_isolation ON kernel.sessions
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
