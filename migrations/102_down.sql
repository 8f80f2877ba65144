-- Undoes 102_finance_create_fx_rates.sql.
DROP TABLE IF EXISTS finance.fx_rates;
