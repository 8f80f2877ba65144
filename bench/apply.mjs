// The apply benchmark's inputs: the same 500 trivial migrations, written once
// in aibos's layout (numbered up files, `NNN_down.sql`, a config, aibos.sum)
// and once in node-pg-migrate's SQL format (`-- Up Migration` / `-- Down Migration`).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const APPLY_MIGRATIONS = 500;

/**
 * One small table per migration in schema `bench` (the first creates it). Lint-clean under the
 * default rules, so the lint gate passes: idempotent DDL, timestamps, and the tables declared
 * global in the config (a tenant table would also need RLS, a policy and a foreign key to tenants).
 */
function upSql(n) {
  const t = `t${String(n).padStart(3, '0')}`;
  const schema = n === 1 ? 'CREATE SCHEMA IF NOT EXISTS bench;\n' : '';
  return `${schema}CREATE TABLE IF NOT EXISTS bench.${t} (\n    id bigint PRIMARY KEY,\n    name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now(),\n    updated_at timestamptz NOT NULL DEFAULT now()\n);\n`;
}

function downSql(n) {
  return `DROP TABLE IF EXISTS bench.t${String(n).padStart(3, '0')};\n`;
}

/** An aibos project: `.aibosrc.json` with one schema spanning 1-999, and `migrations/`. */
export function writeAibosProject(dir, count = APPLY_MIGRATIONS) {
  const migrations = path.join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  writeFileSync(path.join(dir, '.aibosrc.json'), JSON.stringify(
      {
        migrationsDir: 'migrations',
        schemas: { bench: { range: [1, 999] } },
        tenancy: { globalTables: ['kernel.tenants', ...Array.from({ length: count }, (_, i) => `bench.t${String(i + 1).padStart(3, '0')}`)] },
      },
      null,
      2,
    ) + '\n');
  for (let n = 1; n <= count; n++) {
    const seq = String(n).padStart(3, '0');
    writeFileSync(path.join(migrations, `${seq}_bench_create_t${seq}.sql`), `-- author: bench\n-- reason: apply benchmark\n${upSql(n)}`);
    writeFileSync(path.join(migrations, `${seq}_down.sql`), downSql(n));
  }
}

/** node-pg-migrate's SQL migrations: `<number>_<name>.sql` with both directions in one file. */
export function writeNodePgMigrateProject(dir, count = APPLY_MIGRATIONS) {
  const migrations = path.join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (let n = 1; n <= count; n++) {
    const seq = String(n).padStart(3, '0');
    writeFileSync(path.join(migrations, `${seq}_create_t${seq}.sql`), `-- Up Migration\n${upSql(n)}\n-- Down Migration\n${downSql(n)}`);
  }
}
