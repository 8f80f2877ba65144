-- author: canon-team (AI-BOS founding engineering)
-- reason: service registry; global (no tenant_id, listed in tenancy.globalTables) because a Canon is a platform service shared by every tenant, and per-tenant routing lives in kernel.routes

CREATE TABLE IF NOT EXISTS kernel.canons (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL,
  name text NOT NULL,
  version text NOT NULL,
  base_url text,
  status text NOT NULL DEFAULT 'active',
  manifest jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT canons_key_key UNIQUE (key),
  CONSTRAINT canons_key_check CHECK (key ~ '^[a-z][a-z0-9_]*$'),
  CONSTRAINT canons_status_check CHECK (status IN ('active', 'deprecated', 'retired'))
);

CREATE OR REPLACE TRIGGER canons_set_updated_at
  BEFORE UPDATE ON kernel.canons
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();
