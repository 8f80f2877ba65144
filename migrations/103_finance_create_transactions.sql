-- author: canon-team (AI-BOS founding engineering)
-- reason: payment requests with a status machine enforced in the database: a trigger allows only the listed transitions and freezes the amount once a request leaves draft
-- Transitions (anything else raises SQLSTATE 23514):
--   draft            -> pending_approval | cancelled
--   pending_approval -> approved | rejected | draft (withdrawn)
--   approved         -> posted | cancelled
--   rejected         -> draft (reworked)
--   posted, cancelled: terminal
-- A transaction is inserted as draft.

CREATE TABLE IF NOT EXISTS finance.transactions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  company_id uuid NOT NULL,
  account_id uuid NOT NULL,
  requested_by_user_id uuid,
  counterparty text NOT NULL,
  description text,
  amount_cents bigint NOT NULL,
  currency text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT transactions_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT transactions_amount_cents_check CHECK (amount_cents > 0),
  CONSTRAINT transactions_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT transactions_status_check
    CHECK (status IN ('draft', 'pending_approval', 'approved', 'rejected', 'posted', 'cancelled')),
  CONSTRAINT transactions_company_fkey FOREIGN KEY (tenant_id, company_id)
    REFERENCES finance.companies (tenant_id, id),
  CONSTRAINT transactions_account_fkey FOREIGN KEY (tenant_id, account_id)
    REFERENCES finance.accounts (tenant_id, id),
  CONSTRAINT transactions_requested_by_user_fkey FOREIGN KEY (tenant_id, requested_by_user_id)
    REFERENCES kernel.users (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS transactions_tenant_id_company_id_status_idx
  ON finance.transactions (tenant_id, company_id, status);
CREATE INDEX IF NOT EXISTS transactions_tenant_id_account_id_idx
  ON finance.transactions (tenant_id, account_id);
CREATE INDEX IF NOT EXISTS transactions_tenant_id_requested_by_user_id_idx
  ON finance.transactions (tenant_id, requested_by_user_id);

CREATE OR REPLACE FUNCTION finance.enforce_transaction_status()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'draft' THEN
      RAISE EXCEPTION 'finance.transactions: a transaction starts as draft, not %', NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.status_changed_at := now();
    RETURN NEW;
  END IF;

  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF (OLD.status, NEW.status) NOT IN (
      ('draft', 'pending_approval'),
      ('draft', 'cancelled'),
      ('pending_approval', 'approved'),
      ('pending_approval', 'rejected'),
      ('pending_approval', 'draft'),
      ('approved', 'posted'),
      ('approved', 'cancelled'),
      ('rejected', 'draft')
    ) THEN
      RAISE EXCEPTION 'finance.transactions: status cannot go from % to %', OLD.status, NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.status_changed_at := now();
  END IF;

  -- What an approver saw is what gets paid: the money fields change only in draft.
  IF OLD.status <> 'draft'
     AND (NEW.amount_cents, NEW.currency, NEW.account_id, NEW.company_id)
         IS DISTINCT FROM (OLD.amount_cents, OLD.currency, OLD.account_id, OLD.company_id) THEN
    RAISE EXCEPTION 'finance.transactions: amount, currency and accounts are frozen once a transaction leaves draft (status %)', OLD.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER transactions_enforce_status
  BEFORE INSERT OR UPDATE ON finance.transactions
  FOR EACH ROW EXECUTE FUNCTION finance.enforce_transaction_status();

CREATE OR REPLACE TRIGGER transactions_set_updated_at
  BEFORE UPDATE ON finance.transactions
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();

ALTER TABLE finance.transactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.transactions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.transactions;
CREATE POLICY tenant_isolation ON finance.transactions
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON finance.transactions TO aibos_app;
GRANT SELECT ON finance.transactions TO aibos_readonly;
GRANT ALL ON finance.transactions TO aibos_migration, aibos_admin;
