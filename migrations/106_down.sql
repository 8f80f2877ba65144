-- Undoes 106_finance_create_approvals.sql.
DROP TABLE IF EXISTS finance.approvals;
