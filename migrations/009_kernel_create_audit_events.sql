-- author: canon-team (AI-BOS founding engineering)
-- reason: immutable audit log per tenant; UPDATE, DELETE and TRUNCATE are refused by triggers (append-only), and aibos_app gets only SELECT and INSERT
-- object_key is text on purpose: it names a row of any table, so it cannot carry a foreign key.

CREATE TABLE IF NOT EXISTS kernel.audit_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  actor_user_id uuid,
  action text NOT NULL,
  object_schema text,
  object_table text,
  object_key text,
  before_state jsonb,
  after_state jsonb,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT audit_events_actor_user_fkey FOREIGN KEY (tenant_id, actor_user_id)
    REFERENCES kernel.users (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS audit_events_tenant_id_occurred_at_idx
  ON kernel.audit_events (tenant_id, occurred_at);
CREATE INDEX IF NOT EXISTS audit_events_tenant_id_actor_user_id_idx
  ON kernel.audit_events (tenant_id, actor_user_id);

CREATE OR REPLACE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON kernel.audit_events
  FOR EACH ROW EXECUTE FUNCTION kernel.refuse_mutation();
CREATE OR REPLACE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON kernel.audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION kernel.refuse_mutation();

ALTER TABLE kernel.audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE kernel.audit_events FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON kernel.audit_events;
CREATE POLICY tenant_isolation ON kernel.audit_events
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
