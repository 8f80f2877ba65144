-- author: canon-team (AI-BOS founding engineering)
-- reason: event bus messages (transactional outbox) per tenant; rows change status as they are delivered

CREATE TABLE IF NOT EXISTS kernel.events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  topic text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_status_check CHECK (status IN ('pending', 'processing', 'delivered', 'failed')),
  CONSTRAINT events_attempts_check CHECK (attempts >= 0)
);

-- The dispatcher's query: a tenant's pending events that are due.
CREATE INDEX IF NOT EXISTS events_tenant_id_status_available_at_idx
  ON kernel.events (tenant_id, status, available_at);

CREATE OR REPLACE TRIGGER events_set_updated_at
  BEFORE UPDATE ON kernel.events
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE kernel.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.events FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.events;
CREATE POLICY tenant_isolation ON kernel.events
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
