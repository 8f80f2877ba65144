-- author: canon-team (AI-BOS founding engineering)
-- reason: the four access roles of standard section 10.1, created idempotently (roles are cluster-wide and may already exist from another database), plus their privileges on schema kernel
-- All four are NOLOGIN group roles: deployments grant them to their own LOGIN roles.
-- None has BYPASSRLS (it needs a superuser to grant and managed providers refuse it), so every role,
-- aibos_admin included, sees tenant rows only through app.tenant_id.
-- A concurrent migration of another database may create the same role between the check and the
-- CREATE; the exception handler turns that race into a no-op.

DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['aibos_app', 'aibos_migration', 'aibos_readonly', 'aibos_admin'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        RAISE NOTICE 'role % was created concurrently', role_name;
      END;
    END IF;
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA kernel TO aibos_app, aibos_readonly;
GRANT USAGE, CREATE ON SCHEMA kernel TO aibos_migration, aibos_admin;
