-- Undoes 203_config_create_provider_profiles.sql.
DROP TABLE IF EXISTS config.provider_profiles;
