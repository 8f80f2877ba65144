-- Undoes 008_kernel_create_events.sql.
DROP TABLE IF EXISTS kernel.events;
