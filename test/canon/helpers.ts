import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { ROOT } from '../helpers/project.js';

export const MIGRATIONS_DIR = join(ROOT, 'migrations');
export const CANON_SCHEMAS = ['kernel', 'finance', 'config'] as const;

export interface CanonMigration {
  seq: number;
  /** up file name, e.g. `101_finance_create_accounts.sql` */
  name: string;
  schema: string;
  up: string;
  down: string;
}

const DOWN_FILE = /^(\d{3,})_down\.sql$/;
const UP_FILE = /^(\d{3,})_([a-z][a-z0-9]*)_([a-z][a-z0-9]*)_([a-z][a-z0-9_]*)\.sql$/;

/**
 * The canon's migrations paired up/down, in numeric order of their sequence number (never lexical).
 * Throws when a file name is outside the grammar, a number is used twice, or a side is missing,
 * so every suite that applies the canon also guards its shape.
 */
export function loadCanon(dir: string = MIGRATIONS_DIR): CanonMigration[] {
  const ups = new Map<number, { name: string; schema: string }>();
  const downs = new Map<number, string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.sql')) continue;
    const down = DOWN_FILE.exec(file);
    if (down) {
      downs.set(Number(down[1]), file);
      continue;
    }
    const up = UP_FILE.exec(file);
    if (!up) throw new Error(`${file}: not an up ({seq}_{schema}_{action}_{entity}.sql) or down ({seq}_down.sql) file name`);
    const seq = Number(up[1]);
    const clash = ups.get(seq);
    if (clash) throw new Error(`${file}: sequence ${seq} already used by ${clash.name}`);
    ups.set(seq, { name: file, schema: up[2] });
  }
  for (const [seq, file] of downs) {
    if (!ups.has(seq)) throw new Error(`${file}: down file without an up file`);
  }
  return [...ups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([seq, { name, schema }]) => {
      const downName = downs.get(seq);
      if (!downName) throw new Error(`${name}: up file without ${String(seq).padStart(3, '0')}_down.sql`);
      return {
        seq,
        name,
        schema,
        up: readFileSync(join(dir, name), 'utf8'),
        down: readFileSync(join(dir, downName), 'utf8'),
      };
    });
}

export function readCanonConfig(): { tenancy: { column: string; globalTables: string[] } } {
  return JSON.parse(readFileSync(join(ROOT, '.aibosrc.json'), 'utf8'));
}

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export interface ScratchDatabase {
  name: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** A throwaway database on the server behind `adminUrl`, with a random name. */
export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `aibos_canon_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
  return {
    name,
    sql,
    async drop() {
      try {
        await sql.end({ timeout: 5 });
        await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = ${name} AND pid <> pg_backend_pid()`;
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}

/** Runs one migration file in its own transaction, the way the runner does; errors name the file. */
export async function runFile(sql: Sql, label: string, text: string): Promise<void> {
  try {
    await sql.begin((tx) => tx.unsafe(text));
  } catch (error) {
    const e = error as Error & { code?: string };
    throw new Error(`${label}: ${e.code ?? ''} ${e.message}`, { cause: error });
  }
}

/**
 * One sorted line per catalog object of every non-system schema: the things a down must restore
 * (schemas, relations with their RLS flags, columns, constraints, indexes, policies, functions,
 * triggers, types, sequences, views). Roles and ACLs are cluster- or grant-level and not compared.
 */
export const CATALOG_SNAPSHOT_SQL = `
WITH ns AS (
  SELECT oid, nspname FROM pg_catalog.pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
)
SELECT line FROM (
  SELECT 'schema ' || ns.nspname AS line FROM ns
  UNION ALL
  SELECT format('relation %s.%s kind=%s rls=%s force=%s', ns.nspname, c.relname, c.relkind,
                c.relrowsecurity, c.relforcerowsecurity)
  FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'i', 'I')
  UNION ALL
  SELECT format('column %s.%s.%s %s notnull=%s default=%s', ns.nspname, c.relname, a.attname,
                pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                pg_catalog.pg_get_expr(d.adbin, d.adrelid))
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN ns ON ns.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  UNION ALL
  SELECT format('constraint %s.%s.%s %s deferrable=%s deferred=%s valid=%s', ns.nspname, c.relname,
                co.conname, pg_catalog.pg_get_constraintdef(co.oid), co.condeferrable,
                co.condeferred, co.convalidated)
  FROM pg_catalog.pg_constraint co
  JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
  JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
  SELECT 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
  SELECT format('policy %s.%s.%s cmd=%s permissive=%s roles=%s using=%s check=%s', ns.nspname,
                c.relname, p.polname, p.polcmd, p.polpermissive, p.polroles::text,
                pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid))
  FROM pg_catalog.pg_policy p
  JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
  JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
  SELECT format('function %s.%s(%s) %s', ns.nspname, p.proname,
                pg_catalog.pg_get_function_identity_arguments(p.oid),
                md5(pg_catalog.pg_get_functiondef(p.oid)))
  FROM pg_catalog.pg_proc p JOIN ns ON ns.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p')
  UNION ALL
  SELECT 'trigger ' || pg_catalog.pg_get_triggerdef(t.oid)
  FROM pg_catalog.pg_trigger t
  JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  JOIN ns ON ns.oid = c.relnamespace
  WHERE NOT t.tgisinternal
  UNION ALL
  SELECT format('type %s.%s %s', ns.nspname, t.typname, t.typtype)
  FROM pg_catalog.pg_type t JOIN ns ON ns.oid = t.typnamespace
  WHERE t.typtype IN ('e', 'd', 'r', 'm')
     OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
  UNION ALL
  SELECT format('view %s.%s %s', ns.nspname, c.relname, pg_catalog.pg_get_viewdef(c.oid))
  FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm')
) AS objects
ORDER BY line COLLATE "C"
`;

/** Tables left in the canon's schemas (the round trip must end with none). */
export const CANON_TABLES_SQL = `
SELECT n.nspname || '.' || c.relname AS name
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN (${CANON_SCHEMAS.map((schema) => `'${schema}'`).join(', ')}) AND c.relkind IN ('r', 'p')
ORDER BY 1
`;
