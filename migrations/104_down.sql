-- Undoes 104_finance_create_journal_entries.sql.
DROP TABLE IF EXISTS finance.journal_entries;
