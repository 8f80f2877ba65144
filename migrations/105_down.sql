-- Undoes 105_finance_create_journal_lines.sql, including the trigger it put on journal_entries.
DROP TRIGGER IF EXISTS journal_entries_balanced ON finance.journal_entries;
DROP TABLE IF EXISTS finance.journal_lines;
DROP FUNCTION IF EXISTS finance.assert_journal_entry_balanced();
