-- Undoes 100_finance_create_companies.sql. The schema grants disappear with the schema.
DROP TABLE IF EXISTS finance.companies;
DROP SCHEMA IF EXISTS finance;
