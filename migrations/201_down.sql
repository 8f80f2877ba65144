-- Undoes 201_config_create_policies.sql.
DROP TABLE IF EXISTS config.policies;
