-- author: canon-team (AI-BOS founding engineering)
-- reason: double-entry lines, append-only; each line is a debit or a credit (CHECK), and every entry must have lines whose debits equal its credits, checked at commit by deferred constraint triggers (SQLSTATE 23514)
-- The check runs at COMMIT (or SET CONSTRAINTS ... IMMEDIATE), so an entry and its lines are
-- inserted in any order inside one transaction. It reads the entry's lines with app.tenant_id
-- pinned to the entry's tenant, so a session cannot dodge it by changing app.tenant_id before
-- COMMIT (row-level security would otherwise hide the lines and the sums would both be 0).

-- aibos-ack require-soft-delete: append-only ledger; rows are never deleted, soft or hard, a reversing entry corrects them
CREATE TABLE IF NOT EXISTS finance.journal_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  journal_entry_id uuid NOT NULL,
  account_id uuid NOT NULL,
  debit_cents bigint NOT NULL DEFAULT 0,
  credit_cents bigint NOT NULL DEFAULT 0,
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT journal_lines_non_negative_check CHECK (debit_cents >= 0 AND credit_cents >= 0),
  CONSTRAINT journal_lines_one_side_check CHECK ((debit_cents > 0) <> (credit_cents > 0)),
  CONSTRAINT journal_lines_journal_entry_fkey FOREIGN KEY (tenant_id, journal_entry_id)
    REFERENCES finance.journal_entries (tenant_id, id),
  CONSTRAINT journal_lines_account_fkey FOREIGN KEY (tenant_id, account_id)
    REFERENCES finance.accounts (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS journal_lines_tenant_id_journal_entry_id_idx
  ON finance.journal_lines (tenant_id, journal_entry_id);
CREATE INDEX IF NOT EXISTS journal_lines_tenant_id_account_id_idx
  ON finance.journal_lines (tenant_id, account_id);

CREATE OR REPLACE TRIGGER journal_lines_append_only
  BEFORE UPDATE OR DELETE ON finance.journal_lines
  FOR EACH ROW EXECUTE FUNCTION kernel.refuse_mutation();
CREATE OR REPLACE TRIGGER journal_lines_no_truncate
  BEFORE TRUNCATE ON finance.journal_lines
  FOR EACH STATEMENT EXECUTE FUNCTION kernel.refuse_mutation();

-- Fired for a new entry (NEW.id) and for each new line (NEW.journal_entry_id).
CREATE OR REPLACE FUNCTION finance.assert_journal_entry_balanced()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
  entry_id uuid;
  session_tenant text := current_setting('app.tenant_id', true);
  line_count bigint;
  total_debit numeric;
  total_credit numeric;
BEGIN
  IF TG_TABLE_NAME = 'journal_entries' THEN
    entry_id := NEW.id;
  ELSE
    entry_id := NEW.journal_entry_id;
  END IF;

  PERFORM set_config('app.tenant_id', NEW.tenant_id::text, true);
  SELECT count(*), coalesce(sum(l.debit_cents), 0), coalesce(sum(l.credit_cents), 0)
    INTO line_count, total_debit, total_credit
    FROM finance.journal_lines AS l
   WHERE l.tenant_id = NEW.tenant_id
     AND l.journal_entry_id = entry_id;
  PERFORM set_config('app.tenant_id', coalesce(session_tenant, ''), true);

  IF line_count = 0 THEN
    RAISE EXCEPTION 'finance.journal_entries: entry % has no lines', entry_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF total_debit <> total_credit THEN
    RAISE EXCEPTION 'finance.journal_entries: entry % is unbalanced (debits % <> credits % cents)',
      entry_id, total_debit, total_credit
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;

-- Constraint triggers have no CREATE OR REPLACE form: drop first to stay re-runnable.
DROP TRIGGER IF EXISTS journal_lines_balanced ON finance.journal_lines;
CREATE CONSTRAINT TRIGGER journal_lines_balanced
  AFTER INSERT ON finance.journal_lines
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION finance.assert_journal_entry_balanced();

DROP TRIGGER IF EXISTS journal_entries_balanced ON finance.journal_entries;
CREATE CONSTRAINT TRIGGER journal_entries_balanced
  AFTER INSERT ON finance.journal_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION finance.assert_journal_entry_balanced();

ALTER TABLE finance.journal_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.journal_lines FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.journal_lines;
CREATE POLICY tenant_isolation ON finance.journal_lines
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT ON finance.journal_lines TO aibos_app;
GRANT SELECT ON finance.journal_lines TO aibos_readonly;
GRANT ALL ON finance.journal_lines TO aibos_migration, aibos_admin;
