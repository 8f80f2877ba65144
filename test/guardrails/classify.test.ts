import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql } from '../../src/sql/parse.js';
import { classifyMigration } from '../../src/runner/classify.js';
import { guardrailsFor, requirementOf } from '../../src/runner/guardrails.js';
import type { ResolvedConfig } from '../../src/config/types.js';

beforeAll(() => initParser());

const classesOf = (sql: string) => classifyMigration(parseSql(sql).statements).classes;

describe('classifyMigration on real parsed SQL', () => {
  it('names each kind of change from the AST', () => {
    expect(classesOf('ALTER TABLE finance.accounts ADD COLUMN note text;')).toEqual(['add-column']);
    expect(classesOf('CREATE INDEX CONCURRENTLY accounts_name_idx ON finance.accounts (name);')).toEqual(['add-index']);
    expect(classesOf('ALTER TABLE finance.accounts DROP COLUMN note;')).toEqual(['drop-column']);
    expect(classesOf('DROP TABLE IF EXISTS finance.old_accounts;')).toEqual(['drop-table']);
    expect(classesOf('ALTER TABLE finance.accounts ALTER COLUMN balance TYPE numeric(20,4);')).toEqual(['alter-column-type']);
    expect(classesOf('ALTER TABLE finance.accounts ADD CONSTRAINT accounts_code_key UNIQUE (code);')).toEqual(['add-constraint']);
    expect(classesOf('ALTER TABLE finance.accounts ALTER COLUMN code SET NOT NULL;')).toEqual(['add-constraint']);
    expect(classesOf('ALTER TABLE finance.accounts RENAME COLUMN code TO account_code;')).toEqual(['rename']);
    expect(classesOf('ALTER TABLE finance.accounts SET SCHEMA archive;')).toEqual(['rename']);
    expect(classesOf('ALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;')).toEqual(['rls-policy']);
    expect(classesOf("CREATE POLICY tenant_isolation ON finance.accounts USING (tenant_id = current_setting('app.tenant_id')::uuid);")).toEqual(['rls-policy']);
    expect(classesOf('CREATE FUNCTION kernel.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;')).toEqual(['function']);
    expect(classesOf("UPDATE finance.accounts SET status = 'open' WHERE status IS NULL;")).toEqual(['data-change']);
    expect(classesOf('TRUNCATE finance.ledger_cache;')).toEqual(['data-change']);
    expect(classesOf('CREATE EXTENSION IF NOT EXISTS pgcrypto;')).toEqual(['other']);
  });

  it('gives a migration the set of its statements’ classes, in a fixed order, with lines', () => {
    const sql = `-- author: ana
-- reason: ledger notes
ALTER TABLE finance.ledger ADD COLUMN note text, ALTER COLUMN amount TYPE numeric(20,4);
SET lock_timeout = '5s';
CREATE INDEX ledger_note_idx ON finance.ledger (note);
`;
    const result = classifyMigration(parseSql(sql).statements);
    expect(result.classes).toEqual(['add-column', 'add-index', 'alter-column-type']);
    expect(result.changes.map((c) => [c.class, c.line, c.target])).toEqual([
      ['add-column', 3, 'finance.ledger'],
      ['alter-column-type', 3, 'finance.ledger'],
      ['add-index', 5, 'finance.ledger'],
    ]);
  });

  it('folds indexes, constraints and policies on a table created in the same file into create-table', () => {
    const sql = `CREATE TABLE finance.invoices (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
CREATE INDEX invoices_tenant_idx ON finance.invoices (tenant_id);
ALTER TABLE finance.invoices ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON finance.invoices;
CREATE POLICY tenant_isolation ON finance.invoices USING (true);
ALTER TABLE finance.invoices ADD CONSTRAINT invoices_total_positive CHECK (total >= 0);
CREATE INDEX accounts_tenant_idx ON finance.accounts (tenant_id);
`;
    expect(classesOf(sql)).toEqual(['create-table', 'add-index']);
  });

  it('adds add-constraint when ADD COLUMN carries a foreign key, but not for NOT NULL or DEFAULT', () => {
    expect(classesOf('ALTER TABLE finance.lines ADD COLUMN account_id uuid REFERENCES finance.accounts (id);')).toEqual(['add-column', 'add-constraint']);
    expect(classesOf("ALTER TABLE finance.lines ADD COLUMN memo text NOT NULL DEFAULT '';")).toEqual(['add-column']);
  });

  it('treats CASCADE drops by what they can take with them', () => {
    expect(classesOf('DROP SCHEMA legacy CASCADE;')).toEqual(['drop-table']);
    expect(classesOf('DROP SCHEMA legacy;')).toEqual(['other']);
    expect(classesOf('DROP TYPE finance.status CASCADE;')).toEqual(['drop-column']);
    expect(classesOf('DROP POLICY tenant_isolation ON finance.accounts;')).toEqual(['rls-policy']);
  });

  it('gives session settings and transaction control no class', () => {
    expect(classesOf("BEGIN; SET search_path = finance; COMMENT ON TABLE finance.accounts IS 'ledger'; COMMIT;")).toEqual([]);
  });
});

describe('guardrails from the standard, merged with the config', () => {
  const config = (environments: ResolvedConfig['environments']) => ({ environments }) as Pick<ResolvedConfig, 'environments'>;

  it('uses §9.3 for dev and prod and auto elsewhere', () => {
    const dev = guardrailsFor(config({}), 'dev');
    expect([dev['add-column'], dev['add-index'], dev['drop-column'], dev['alter-column-type'], dev['drop-table']]).toEqual(['auto', 'auto', 'block', 'approval', 'auto']);
    const prod = guardrailsFor(config({}), 'prod');
    expect([prod['add-column'], prod['add-index'], prod['drop-column'], prod['alter-column-type']]).toEqual(['approval', 'shadow+approval', 'block', 'review']);
    expect(guardrailsFor(config({}), 'staging')['drop-column']).toBe('auto');
  });

  it('lets the config override single classes', () => {
    const prod = guardrailsFor(config({ prod: { guardrails: { 'add-column': 'auto', 'drop-table': 'review' } } }), 'prod');
    expect(prod['add-column']).toBe('auto');
    expect(prod['drop-table']).toBe('review');
    expect(prod['drop-column']).toBe('block');
  });

  it('takes the strictest need across a migration’s classes', () => {
    const prod = guardrailsFor(config({}), 'prod');
    expect(requirementOf(['add-column', 'add-index'], prod)).toMatchObject({ approvals: 1, shadow: true, blocked: [] });
    expect(requirementOf(['add-column', 'alter-column-type'], prod)).toMatchObject({ approvals: 2, shadow: false });
    expect(requirementOf(['create-table', 'drop-column'], prod).blocked).toEqual(['drop-column']);
    expect(requirementOf(['create-table'], prod)).toMatchObject({ approvals: 0, because: [] });
  });
});
