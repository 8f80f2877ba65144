-- Undoes 006_kernel_create_canons.sql.
DROP TABLE IF EXISTS kernel.canons;
