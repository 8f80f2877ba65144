-- Undoes 200_config_create_settings.sql. The schema grants disappear with the schema.
DROP TABLE IF EXISTS config.settings;
DROP SCHEMA IF EXISTS config;
