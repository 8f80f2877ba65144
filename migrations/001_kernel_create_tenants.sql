-- author: canon-team (AI-BOS founding engineering)
-- reason: kernel schema, shared trigger helpers and kernel.tenants; tenants is global by definition (it is what tenant_id references), so it has no tenant_id and no RLS
-- The helpers live here because every later migration (002 onwards) attaches them as triggers.

CREATE SCHEMA IF NOT EXISTS kernel;

-- Keeps updated_at honest on every mutable table (a BEFORE UPDATE row trigger).
CREATE OR REPLACE FUNCTION kernel.set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

-- Append-only guard: attached BEFORE UPDATE OR DELETE (row) and BEFORE TRUNCATE (statement).
-- SQLSTATE 23001 (restrict_violation) so callers can tell it from a permission error.
CREATE OR REPLACE FUNCTION kernel.refuse_mutation()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Record a correction (for the ledger: a reversing entry) instead of changing history.';
END;
$$;

CREATE TABLE IF NOT EXISTS kernel.tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  name text NOT NULL,
  tier text NOT NULL DEFAULT 'starter',
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  CONSTRAINT tenants_slug_key UNIQUE (slug),
  CONSTRAINT tenants_slug_check CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  CONSTRAINT tenants_tier_check CHECK (tier IN ('starter', 'growth', 'enterprise', 'regulated')),
  CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended', 'closed'))
);

CREATE OR REPLACE TRIGGER tenants_set_updated_at
  BEFORE UPDATE ON kernel.tenants
  FOR EACH ROW EXECUTE FUNCTION kernel.set_updated_at();
