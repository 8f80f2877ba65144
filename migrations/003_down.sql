-- Undoes 003_kernel_create_roles.sql.
DROP TABLE IF EXISTS kernel.roles;
