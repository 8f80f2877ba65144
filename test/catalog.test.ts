import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../src/catalog/catalog.js';
import { initParser, parseSql } from '../src/sql/parse.js';

beforeAll(() => initParser());

function replay(...files: string[]): Catalog {
  const catalog = new Catalog();
  files.forEach((sql, i) => {
    for (const stmt of parseSql(sql).statements) catalog.apply(stmt, `f${i}.sql`);
  });
  return catalog;
}

describe('catalog replay', () => {
  it('copies a LIKE source as Postgres does: NOT NULL always, the rest only when included, foreign keys never', () => {
    const c = replay(
      `CREATE TABLE finance.ledgers (
         id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
         code text NOT NULL DEFAULT 'x' CHECK (code <> ''),
         upper_code text GENERATED ALWAYS AS (upper(code)) STORED,
         created_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (tenant_id, code));
       CREATE INDEX ledgers_tenant_idx ON finance.ledgers (tenant_id);`,
      `CREATE TABLE finance.bare (LIKE finance.ledgers);
       CREATE TABLE finance.whole (LIKE finance.ledgers INCLUDING ALL);
       CREATE TABLE finance.some (LIKE finance.ledgers INCLUDING DEFAULTS INCLUDING INDEXES);`,
    );
    const bare = c.table('finance.bare')!;
    expect([...bare.columns.keys()]).toEqual(['id', 'tenant_id', 'code', 'upper_code', 'created_at']);
    expect(bare.columns.get('id')).toMatchObject({ type: 'int8', notNull: true, identity: false });
    expect(bare.columns.get('code')).toMatchObject({ notNull: true, default: undefined });
    expect(bare.columns.get('upper_code')).toMatchObject({ generated: false, default: undefined });
    expect(bare.columns.get('created_at')!.default).toBeUndefined();
    expect(bare.columns.get('code')!.origin.file).toBe('f1.sql');
    expect(bare.primaryKey).toBeUndefined();
    expect(bare).toMatchObject({ foreignKeys: [], constraints: [] });
    expect(c.indexesOf('finance.bare')).toEqual([]);

    const whole = c.table('finance.whole')!;
    expect(whole.columns.get('id')).toMatchObject({ identity: true, notNull: true });
    expect(whole.columns.get('upper_code')).toMatchObject({ generated: true });
    expect(whole.columns.get('created_at')!.default).toBeDefined();
    expect(whole.foreignKeys).toEqual([]);
    expect(whole.primaryKey).toMatchObject({ name: 'whole_pkey', columns: ['id'] });
    expect(whole.constraints.map((k) => [k.kind, k.name ?? null])).toEqual([['check', null], ['unique', 'whole_tenant_id_code_key']]);
    expect(c.indexesOf('finance.whole').map((i) => [i.name, i.columns])).toEqual([['whole_tenant_id_idx', ['tenant_id']]]);
    expect(c.hasLeadingIndex('finance.whole', ['tenant_id'])).toBe(true);

    const some = c.table('finance.some')!;
    expect(some.columns.get('code')!.default).toBeDefined();
    expect(some.columns.get('upper_code')).toMatchObject({ generated: false, default: undefined });
    expect(some.columns.get('id')!.identity).toBe(false);
    expect(some.constraints.map((k) => k.kind)).toEqual(['unique']);
    expect(c.hasLeadingIndex('finance.some', ['tenant_id'])).toBe(true);
  });

  it('tracks columns, keys, indexes and RLS through CREATE and ALTER', () => {
    const c = replay(
      `CREATE TABLE finance.accounts (id uuid PRIMARY KEY, code text, balance numeric(20,4) NOT NULL DEFAULT 0);
       CREATE TABLE finance.transfers (id bigint, tenant_id uuid NOT NULL, account_id uuid, PRIMARY KEY (tenant_id, id),
         CONSTRAINT transfers_account_fk FOREIGN KEY (account_id) REFERENCES finance.accounts (id));`,
      `ALTER TABLE finance.accounts ADD COLUMN IF NOT EXISTS tenant_id uuid NOT NULL, ALTER COLUMN code SET NOT NULL, ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
       CREATE INDEX transfers_account_idx ON finance.transfers (account_id, id);
       CREATE POLICY p ON finance.accounts USING (tenant_id = current_setting('app.tenant_id')::uuid);
       ALTER TABLE finance.accounts RENAME COLUMN code TO account_code;`,
    );
    const accounts = c.table('finance.accounts')!;
    expect([...accounts.columns.keys()]).toEqual(['id', 'balance', 'tenant_id', 'account_code']);
    expect(accounts.columns.get('account_code')).toMatchObject({ type: 'text', notNull: true });
    expect(accounts.columns.get('balance')).toMatchObject({ type: 'numeric', typmods: [20, 4], notNull: true });
    expect(accounts.columns.get('tenant_id')!.origin.file).toBe('f1.sql');
    expect(accounts).toMatchObject({ rlsEnabled: true, rlsForced: true });
    expect(accounts.policies.map((p) => p.name)).toEqual(['p']);
    const transfers = c.table('finance.transfers')!;
    expect(transfers.primaryKey?.columns).toEqual(['tenant_id', 'id']);
    expect(transfers.foreignKeys).toMatchObject([{ name: 'transfers_account_fk', columns: ['account_id'], refTable: 'finance.accounts', refColumns: ['id'] }]);
    expect(c.hasLeadingIndex('finance.transfers', ['account_id'])).toBe(true);
    expect(c.hasLeadingIndex('finance.transfers', ['id'])).toBe(false);
    expect(c.hasLeadingIndex('finance.transfers', ['tenant_id'])).toBe(true);
  });

  it('gives every serial type (serial2 and smallserial included) NOT NULL and a nextval() default', () => {
    const c = replay(`CREATE TABLE a.t (a serial, b serial2, c smallserial, d serial4, e serial8, f bigserial, g int2);`);
    const cols = [...c.table('a.t')!.columns.values()];
    expect(cols.map((col) => [col.name, col.notNull, col.default?.FuncCall?.funcname?.[0]?.String?.sval])).toEqual([
      ['a', true, 'nextval'],
      ['b', true, 'nextval'],
      ['c', true, 'nextval'],
      ['d', true, 'nextval'],
      ['e', true, 'nextval'],
      ['f', true, 'nextval'],
      ['g', false, undefined],
    ]);
  });

  it('knows TEMP, CREATE TABLE AS, partitioned tables and partitions', () => {
    const c = replay(
      `CREATE TEMP TABLE scratch (x int);
       CREATE TABLE finance.events (tenant_id uuid NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE finance.events_2026 PARTITION OF finance.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       CREATE TABLE finance.copy AS SELECT id, name AS label FROM finance.src;`,
    );
    expect(c.table('pg_temp.scratch')?.persistence).toBe('temp');
    expect(c.table('finance.events')?.partitioned).toBe(true);
    expect(c.table('finance.events_2026')).toMatchObject({ partitionOf: 'finance.events' });
    expect([...c.table('finance.events_2026')!.columns.keys()]).toEqual(['tenant_id', 'at']);
    expect(c.table('finance.copy')).toMatchObject({ fromQuery: true });
    expect([...c.table('finance.copy')!.columns.keys()]).toEqual(['id', 'label']);
  });

  it('drops tables, columns, indexes and policies; renames tables and follows foreign keys', () => {
    const c = replay(
      `CREATE TABLE a.t (id int PRIMARY KEY, x int, y int); CREATE TABLE a.u (t_id int REFERENCES a.t (id));
       CREATE INDEX t_x ON a.t (x); CREATE POLICY p ON a.t USING (true);`,
      `ALTER TABLE a.t DROP COLUMN x; DROP POLICY IF EXISTS p ON a.t; ALTER TABLE a.t RENAME TO tt;`,
    );
    expect(c.table('a.t')).toBeUndefined();
    expect([...c.table('a.tt')!.columns.keys()]).toEqual(['id', 'y']);
    expect(c.indexesOf('a.tt')).toEqual([]);
    expect(c.table('a.tt')!.policies).toEqual([]);
    expect(c.table('a.u')!.foreignKeys[0]!.refTable).toBe('a.tt');
    const d = replay(`CREATE TABLE a.t (id int); CREATE INDEX i ON a.t (id);`, `DROP INDEX a.i; DROP TABLE a.t;`);
    expect([...d.tables]).toEqual([]);
    expect(d.state.indexes.size).toBe(0);
  });

  it('a fork leaves its parent untouched', () => {
    const c = replay(`CREATE TABLE a.t (id int, x int); CREATE INDEX i ON a.t (x);`);
    const fork = c.fork();
    for (const stmt of parseSql(`ALTER TABLE a.t DROP COLUMN x; ALTER TABLE a.t ENABLE ROW LEVEL SECURITY; DROP TABLE a.t;`).statements) fork.apply(stmt, 'down.sql');
    expect(fork.table('a.t')).toBeUndefined();
    expect([...c.table('a.t')!.columns.keys()]).toEqual(['id', 'x']);
    expect(c.table('a.t')!.rlsEnabled).toBe(false);
    expect(c.indexesOf('a.t').map((i) => i.columns)).toEqual([['x']]);
  });
});

describe('catalog forks of names', () => {
  it('a fork drops and adds schemas, views, sequences and functions without touching its parent', () => {
    const c = replay(`CREATE SCHEMA a; CREATE VIEW a.v AS SELECT 1; CREATE SEQUENCE a.s; CREATE FUNCTION a.f() RETURNS int LANGUAGE sql AS 'select 1';`);
    const fork = c.fork();
    for (const stmt of parseSql(`DROP VIEW a.v; DROP SEQUENCE a.s; CREATE VIEW a.w AS SELECT 2; DROP SCHEMA a CASCADE; CREATE SCHEMA b;`).statements) fork.apply(stmt, 'down.sql');
    expect([...fork.state.views]).toEqual(['a.w']);
    expect(fork.state.sequences.has('a.s')).toBe(false);
    expect(fork.state.functions.has('a.f')).toBe(true);
    expect([...fork.state.schemas].sort()).toEqual(['b', 'public']);
    expect(fork.state.schemas.size).toBe(2);
    expect([...c.state.views]).toEqual(['a.v']);
    expect(c.state.sequences.has('a.s')).toBe(true);
    expect([...c.state.schemas].sort()).toEqual(['a', 'public']);
  });
});

describe('catalog indexes by table and by name', () => {
  it('finds an unqualified index in any schema, follows renames and drops, and a fork keeps them apart from its parent', () => {
    const c = replay(`CREATE TABLE a.t (id int, x int); CREATE INDEX i ON a.t (x); CREATE INDEX j ON a.t (id, x);`, `ALTER TABLE a.t RENAME TO tt; ALTER INDEX a.j RENAME TO k;`);
    expect(c.indexKey(['i'])).toBe('a.i');
    expect(c.indexKey(['j'])).toBeUndefined();
    expect(c.indexesOf('a.tt').map((i) => [i.name, i.table])).toEqual([['i', 'a.tt'], ['k', 'a.tt']]);
    expect(c.indexesOf('a.t')).toEqual([]);
    const fork = c.fork();
    for (const stmt of parseSql(`DROP INDEX i; ALTER TABLE a.tt RENAME TO t3; ALTER TABLE a.t3 DROP COLUMN x;`).statements) fork.apply(stmt, 'down.sql');
    expect(fork.indexKey(['i'])).toBeUndefined();
    expect(fork.indexesOf('a.t3')).toEqual([]);
    expect(fork.indexesOf('a.tt')).toEqual([]);
    // The parent still has both indexes on a.tt, under their names.
    expect(c.indexKey(['i'])).toBe('a.i');
    expect(c.indexesOf('a.tt').map((i) => [i.name, i.table, i.columns])).toEqual([['i', 'a.tt', ['x']], ['k', 'a.tt', ['id', 'x']]]);
    const d = replay(`CREATE TABLE a.t (id int); CREATE INDEX i ON a.t (id); DROP TABLE a.t;`);
    expect(d.indexKey(['i'])).toBeUndefined();
    expect(d.state.indexesByTable.size + d.state.indexesByName.size).toBe(0);
  });
});

describe('parser positions and directives', () => {
  it('ends a statement at its last token past trailing comments, strings holding dashes and no final semicolon', () => {
    const ends = (sql: string) => parseSql(sql).statements.map((s) => s.text);
    expect(ends('SELECT 1 -- one\n;\nSELECT 2 /* two\n */ ;')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(ends("SELECT '--x' ;\nSELECT 'a'\n  -- trailing\n")).toEqual(["SELECT '--x'", "SELECT 'a'"]);
    expect(ends('SELECT 1\n\n  ;  \n  SELECT $$ -- $$ \n')).toEqual(['SELECT 1', 'SELECT $$ -- $$']);
    expect(ends('SELECT 3 - -1;\nSELECT 4 /* c */')).toEqual(['SELECT 3 - -1', 'SELECT 4']);
  });

  it('spans start at the first token, not at comments, and end before the semicolon', () => {
    const parsed = parseSql('-- héllo 🎉\n/* block */ SELECT 1 ; SELECT 2');
    expect(parsed.statements.map((s) => [s.text, s.span])).toEqual([
      ['SELECT 1', { line: 2, column: 13, endLine: 2, endColumn: 21 }],
      ['SELECT 2', { line: 2, column: 24, endLine: 2, endColumn: 32 }],
    ]);
  });

  it('reads the header, acks and no-transaction, and ignores look-alikes inside strings', () => {
    const parsed = parseSql(
      `-- author: Jane Doe\n-- reason: add ledger\n-- ticket: FIN-1\n-- aibos:no-transaction\nSELECT '-- aibos-ack x: not a comment';\n-- aibos-ack prefer-timestamptz, prefer-text-field: legacy import\nSELECT 2;\n-- aibos-ack-file require-where: data fix\n`,
    );
    expect(parsed.header).toEqual({ author: 'Jane Doe', reason: 'add ledger', ticket: 'FIN-1' });
    expect(parsed.noTransaction).toBe(true);
    expect(parsed.directives.filter((d) => d.kind !== 'no-transaction').map((d) => [d.kind, d.rules, d.reason, d.statementIndex])).toEqual([
      ['ack', ['prefer-timestamptz', 'prefer-text-field'], 'legacy import', 1],
      ['ack-file', ['require-where'], 'data fix', -1],
    ]);
  });

  it('a syntax error carries the parser position, also after multi-byte text', () => {
    const parsed = parseSql('SELECT 1;\n  CREATE TABEL x ();');
    expect(parsed.statements).toEqual([]);
    expect(parsed.syntaxError).toMatchObject({ message: 'syntax error at or near "TABEL"', span: { line: 2, column: 10 } });
    expect(parseSql("-- résumé 😀\nSELECT '😀é'; CREATE TABEL x;").syntaxError?.span).toMatchObject({ line: 2, column: 22 });
  });
});
