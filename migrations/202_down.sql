-- Undoes 202_config_create_features.sql.
DROP TABLE IF EXISTS config.features;
