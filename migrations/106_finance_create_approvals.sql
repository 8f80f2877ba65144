-- author: canon-team (AI-BOS founding engineering)
-- reason: approval decisions on payment requests, one per approver and transaction; approvers are users of the same tenant (composite foreign key)

CREATE TABLE IF NOT EXISTS finance.approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  transaction_id uuid NOT NULL,
  approver_user_id uuid NOT NULL,
  decision text NOT NULL,
  comment text,
  decided_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT approvals_tenant_id_transaction_id_approver_user_id_key
    UNIQUE (tenant_id, transaction_id, approver_user_id),
  CONSTRAINT approvals_decision_check CHECK (decision IN ('approved', 'rejected')),
  CONSTRAINT approvals_transaction_fkey FOREIGN KEY (tenant_id, transaction_id)
    REFERENCES finance.transactions (tenant_id, id),
  CONSTRAINT approvals_approver_user_fkey FOREIGN KEY (tenant_id, approver_user_id)
    REFERENCES kernel.users (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS approvals_tenant_id_approver_user_id_idx
  ON finance.approvals (tenant_id, approver_user_id);

CREATE OR REPLACE TRIGGER approvals_set_updated_at
  BEFORE UPDATE ON finance.approvals
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE finance.approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.approvals FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.approvals;
CREATE POLICY tenant_isolation ON finance.approvals
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON finance.approvals TO aibos_app;
GRANT SELECT ON finance.approvals TO aibos_readonly;
GRANT ALL ON finance.approvals TO aibos_migration, aibos_admin;
