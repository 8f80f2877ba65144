-- Undoes 012_kernel_create_permissions.sql (the seed rows and grants go with the table).
ALTER TABLE kernel.role_permissions DROP CONSTRAINT IF EXISTS role_permissions_permission_id_fkey;
DROP TABLE IF EXISTS kernel.permissions;
