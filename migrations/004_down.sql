-- Undoes 004_kernel_create_role_permissions.sql.
DROP TABLE IF EXISTS kernel.role_permissions;
