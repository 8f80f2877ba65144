/**
 * Real-server test support: a throwaway database per test file, temp projects
 * with valid migrations, and the real CLI.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { runCli, sum as sumIn, tempProject, type CliResult, type TempProject } from '../helpers/project.js';

export const SERVER_URL = process.env.AIBOS_TEST_DATABASE_URL;
export const hasServer = Boolean(SERVER_URL);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL on the test database (a separate admin connection). */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `aibos_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(SERVER_URL!, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(SERVER_URL!, name);
  const sql = postgres(url, { max: 2, onnotice: () => undefined });
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end();
      const a = postgres(SERVER_URL!, { max: 1, onnotice: () => undefined });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Every rule currently registered, so project configs can switch off the ones a test is not about. */
let ruleIds: string[] | undefined;
export async function allRuleIds(cwd: string): Promise<string[]> {
  if (!ruleIds) {
    const r = await runCli(['rules', '--format', 'json'], { cwd });
    ruleIds = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
  }
  return ruleIds;
}

/** Rules that every test migration satisfies; the rest are off so rules added later do not break runner tests. */
export const CORE_RULES = ['syntax-error', 'migration-filename', 'migration-sequence-range', 'migration-checksum', 'require-tenant-id', 'require-timestamps'];

export interface Project extends TempProject {
  cli(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** `migrate <args> --url <db>` */
  migrate(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Rewrites migrations/aibos.sum through the CLI. */
  sum(): Promise<void>;
  addTable(seq: number, entity: string, extra?: string): void;
  /** `002_app_index_a.sql`: CREATE INDEX CONCURRENTLY a_idx ON app.a (tenant_id), which runs outside a transaction, and its down file. */
  addIndexOnA(): void;
}

/** A project with a schema `app` numbered 1-999 and only the core rules on. */
export async function makeProject(db: TestDatabase, options: { rules?: Record<string, string> } = {}): Promise<Project> {
  const p = tempProject();
  const ids = await allRuleIds(p.dir);
  const rules: Record<string, string> = {};
  for (const id of ids) if (!CORE_RULES.includes(id)) rules[id] = 'off';
  Object.assign(rules, options.rules);
  p.write('.aibosrc.json', JSON.stringify({ schemas: { app: { range: [1, 999] } }, tenancy: { globalTables: [] }, rules }, null, 2));
  p.write('migrations/.keep', '');
  const project: Project = {
    ...p,
    cli: (args, env) => runCli(args, { cwd: p.dir, env }),
    migrate: (args, env) => runCli(['migrate', ...args, '--url', db.url], { cwd: p.dir, env }),
    async sum() {
      await sumIn(p.dir);
    },
    addTable(seq, entity, extra = '') {
      const n = String(seq).padStart(3, '0');
      p.write(`migrations/${n}_app_create_${entity}.sql`, tableUp(entity, extra));
      p.write(`migrations/${n}_down.sql`, `DROP TABLE app.${entity};\n`);
    },
    addIndexOnA() {
      p.write('migrations/002_app_index_a.sql', '-- author: alice\n-- reason: idx\nCREATE INDEX CONCURRENTLY a_idx ON app.a (tenant_id);\n');
      p.write('migrations/002_down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS app.a_idx;\n');
    },
  };
  return project;
}

/**
 * Registers the hooks of a migrate suite: one throwaway database for the file (dropped after it), emptied
 * before each test (schemas `app` and `aibos`, the history tables included), and a fresh `makeProject`
 * (removed after the test). `bind` receives both before each test, e.g. `useMigrateDatabase((s) => ({ db, project } = s))`.
 */
export function useMigrateDatabase(bind: (state: { db: TestDatabase; project: Project }) => void, options: { rules?: Record<string, string> } = {}): void {
  let db: TestDatabase | undefined;
  let project: Project | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    // Each test starts from an empty database (the history tables included).
    await db!.sql.unsafe('DROP SCHEMA IF EXISTS app CASCADE; DROP SCHEMA IF EXISTS aibos CASCADE');
    project = await makeProject(db!, options);
    bind({ db: db!, project });
  });
  afterEach(() => project?.cleanup());
}

export function tableUp(entity: string, extra = ''): string {
  return `-- author: alice
-- reason: store ${entity}
CREATE SCHEMA IF NOT EXISTS app;
CREATE TABLE app.${entity} (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()${extra}
);
`;
}

export async function tableExists(db: TestDatabase, qualified: string): Promise<boolean> {
  const [row] = await db.sql`SELECT to_regclass(${qualified}) IS NOT NULL AS present`;
  return Boolean(row?.present);
}

export async function historyRows(db: TestDatabase): Promise<{ version: string; name: string; checksum: string; execution_mode: string; status: string; applied_by: string; author: string | null; reason: string | null }[]> {
  if (!(await tableExists(db, 'aibos.schema_migrations'))) return [];
  return (await db.sql`SELECT version::text, name, checksum, execution_mode, status, applied_by, author, reason FROM aibos.schema_migrations AS h ORDER BY h.version`) as never;
}

export async function events(db: TestDatabase): Promise<{ event: string; version: string; detail: Record<string, unknown> }[]> {
  if (!(await tableExists(db, 'aibos.migration_events'))) return [];
  return (await db.sql`SELECT event, version::text, detail FROM aibos.migration_events ORDER BY id`) as never;
}
