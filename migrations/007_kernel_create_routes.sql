-- author: canon-team (AI-BOS founding engineering)
-- reason: per-tenant API route mappings to a Canon (a BYOS tenant can route a path to its own deployment)

CREATE TABLE IF NOT EXISTS kernel.routes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  canon_id uuid NOT NULL REFERENCES kernel.canons (id),
  method text NOT NULL,
  path text NOT NULL,
  target_url text,
  is_enabled boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT routes_tenant_id_method_path_key UNIQUE (tenant_id, method, path),
  CONSTRAINT routes_method_check CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE')),
  CONSTRAINT routes_path_check CHECK (left(path, 1) = '/')
);

CREATE INDEX IF NOT EXISTS routes_canon_id_idx
  ON kernel.routes (canon_id);

CREATE OR REPLACE TRIGGER routes_set_updated_at
  BEFORE UPDATE ON kernel.routes
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE kernel.routes ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.routes FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.routes;
CREATE POLICY tenant_isolation ON kernel.routes
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
