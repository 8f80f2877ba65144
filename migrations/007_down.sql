-- Undoes 007_kernel_create_routes.sql.
DROP TABLE IF EXISTS kernel.routes;
