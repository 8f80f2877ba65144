-- Undoes 009_kernel_create_audit_events.sql. DROP TABLE fires no row or TRUNCATE trigger.
DROP TABLE IF EXISTS kernel.audit_events;
