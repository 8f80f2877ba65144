-- author: canon-team (AI-BOS founding engineering)
-- reason: general-ledger posting headers, append-only (UPDATE, DELETE and TRUNCATE refused; corrections are reversing entries that point at the entry they reverse)
-- Balance (debits = credits, at least one line) is enforced at commit by 105, which creates the lines.

-- aibos-ack require-soft-delete: append-only ledger; rows are never deleted, soft or hard, a reversing entry corrects them
CREATE TABLE IF NOT EXISTS finance.journal_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  company_id uuid NOT NULL,
  transaction_id uuid,
  reverses_entry_id uuid,
  entry_date date NOT NULL,
  description text NOT NULL,
  posted_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT journal_entries_tenant_id_id_key UNIQUE (tenant_id, id),
  -- An entry is reversed at most once (NULLs, the usual case, do not collide).
  CONSTRAINT journal_entries_tenant_id_reverses_entry_id_key UNIQUE (tenant_id, reverses_entry_id),
  CONSTRAINT journal_entries_reverses_check CHECK (reverses_entry_id <> id),
  CONSTRAINT journal_entries_company_fkey FOREIGN KEY (tenant_id, company_id)
    REFERENCES finance.companies (tenant_id, id),
  CONSTRAINT journal_entries_transaction_fkey FOREIGN KEY (tenant_id, transaction_id)
    REFERENCES finance.transactions (tenant_id, id),
  CONSTRAINT journal_entries_reverses_entry_fkey FOREIGN KEY (tenant_id, reverses_entry_id)
    REFERENCES finance.journal_entries (tenant_id, id)
);

CREATE INDEX IF NOT EXISTS journal_entries_tenant_id_company_id_entry_date_idx
  ON finance.journal_entries (tenant_id, company_id, entry_date);
CREATE INDEX IF NOT EXISTS journal_entries_tenant_id_transaction_id_idx
  ON finance.journal_entries (tenant_id, transaction_id);

CREATE OR REPLACE TRIGGER journal_entries_append_only
  BEFORE UPDATE OR DELETE ON finance.journal_entries
  FOR EACH ROW EXECUTE FUNCTION kernel.refuse_mutation();
CREATE OR REPLACE TRIGGER journal_entries_no_truncate
  BEFORE TRUNCATE ON finance.journal_entries
  FOR EACH STATEMENT EXECUTE FUNCTION kernel.refuse_mutation();

ALTER TABLE finance.journal_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.journal_entries FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.journal_entries;
CREATE POLICY tenant_isolation ON finance.journal_entries
  FOR ALL
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT ON finance.journal_entries TO aibos_app;
GRANT SELECT ON finance.journal_entries TO aibos_readonly;
GRANT ALL ON finance.journal_entries TO aibos_migration, aibos_admin;
