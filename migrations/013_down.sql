-- Undoes 013_kernel_create_user_roles.sql.
DROP TABLE IF EXISTS kernel.user_roles;
