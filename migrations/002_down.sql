-- Undoes 002_kernel_create_users.sql (indexes, trigger and policy go with the table).
DROP TABLE IF EXISTS kernel.users;
