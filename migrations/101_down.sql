-- Undoes 101_finance_create_accounts.sql.
DROP TABLE IF EXISTS finance.accounts;
