-- Undoes 005_kernel_create_sessions.sql.
DROP TABLE IF EXISTS kernel.sessions;
