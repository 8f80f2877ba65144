-- Undoes 001_kernel_create_tenants.sql. DROP SCHEMA without CASCADE: it fails loudly if a later
-- migration left something behind instead of silently deleting it.
DROP TABLE IF EXISTS kernel.tenants;
DROP FUNCTION IF EXISTS kernel.refuse_mutation();
DROP FUNCTION IF EXISTS kernel.set_updated_at();
DROP SCHEMA IF EXISTS kernel;
