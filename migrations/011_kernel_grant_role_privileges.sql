-- author: canon-team (AI-BOS founding engineering)
-- reason: privileges of the section 10.1 roles on the kernel tables created before the roles existed (001-009); later migrations grant on their own tables
-- Global registries (tenants, canons) are read-only for the application; append-only audit_events
-- gets SELECT and INSERT only, so the trigger is a second line of defence, not the only one.

GRANT SELECT ON kernel.tenants, kernel.canons TO aibos_app;
GRANT SELECT, INSERT, UPDATE, DELETE
  ON kernel.users, kernel.roles, kernel.role_permissions, kernel.sessions, kernel.routes, kernel.events
  TO aibos_app;
GRANT SELECT, INSERT ON kernel.audit_events TO aibos_app;

GRANT SELECT
  ON kernel.tenants, kernel.users, kernel.roles, kernel.role_permissions, kernel.sessions,
     kernel.canons, kernel.routes, kernel.events, kernel.audit_events
  TO aibos_readonly;

GRANT ALL
  ON kernel.tenants, kernel.users, kernel.roles, kernel.role_permissions, kernel.sessions,
     kernel.canons, kernel.routes, kernel.events, kernel.audit_events
  TO aibos_migration, aibos_admin;
