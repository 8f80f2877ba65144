-- Undoes 011_kernel_grant_role_privileges.sql: the tables outlive this down, so their grants must go.
REVOKE ALL
  ON kernel.tenants, kernel.users, kernel.roles, kernel.role_permissions, kernel.sessions,
     kernel.canons, kernel.routes, kernel.events, kernel.audit_events
  FROM aibos_app, aibos_readonly, aibos_migration, aibos_admin;
