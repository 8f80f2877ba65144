-- Undoes 010_kernel_create_security_roles.sql.
-- Roles are cluster-wide and shared by every database on the server, so this down revokes what the
-- up granted in this database and drops a role only when nothing else uses it: no member roles, and
-- no privileges or owned objects in any database (DROP ROLE then fails with 2BP01, which is caught).
-- A role still used elsewhere is kept, and a NOTICE says so. The per-database catalog (tables,
-- schemas, functions, ...) is restored exactly either way.

REVOKE ALL ON SCHEMA kernel FROM aibos_app, aibos_migration, aibos_readonly, aibos_admin;

DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['aibos_admin', 'aibos_readonly', 'aibos_migration', 'aibos_app'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
      CONTINUE;
    END IF;
    IF EXISTS (
      SELECT 1
      FROM pg_catalog.pg_auth_members m
      JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
      WHERE r.rolname = role_name
    ) THEN
      RAISE NOTICE 'keeping role %: other roles are members of it', role_name;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE format('DROP ROLE %I', role_name);
    EXCEPTION WHEN dependent_objects_still_exist THEN
      RAISE NOTICE 'keeping role %: it still holds privileges or objects in another database', role_name;
    END;
  END LOOP;
END
$$;
