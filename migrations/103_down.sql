-- Undoes 103_finance_create_transactions.sql.
DROP TABLE IF EXISTS finance.transactions;
DROP FUNCTION IF EXISTS finance.enforce_transaction_status();
