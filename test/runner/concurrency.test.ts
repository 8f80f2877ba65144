import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/project.js';
import { events, hasServer, historyRows, tableExists, tableUp, useMigrateDatabase, type Project, type TestDatabase } from './helpers.js';

/** A migration that fails if it ever runs twice: it inserts a row under a unique key. */
function counterMigration(seq: number): string {
  return `${tableUp(`t${seq}`)}INSERT INTO app.runs (migration) VALUES (${seq});\n`;
}

const RUNS_TABLE = `-- author: alice
-- reason: count how often each migration body runs
CREATE SCHEMA IF NOT EXISTS app;
CREATE TABLE app.runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL DEFAULT gen_random_uuid(),
  migration integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;

describe.runIf(hasServer)('aibos migrate under concurrency and crashes', () => {
  let db: TestDatabase;
  let project: Project;

  useMigrateDatabase((s) => ({ db, project } = s));

  it('six runners started at once apply 20 non-idempotent migrations exactly once, and all exit 0', async () => {
    project.write('migrations/001_app_create_runs.sql', RUNS_TABLE);
    for (let seq = 2; seq <= 21; seq++) project.write(`migrations/${String(seq).padStart(3, '0')}_app_create_t${seq}.sql`, counterMigration(seq));
    await project.sum();

    const results = await Promise.all(Array.from({ length: 6 }, () => project.migrate(['up', '--lock-timeout', '60'])));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const appliedCounts = results.map((r) => Number(/Applied (\d+) migration/.exec(r.stdout)?.[1] ?? 0));
    expect(appliedCounts.reduce((a, b) => a + b, 0)).toBe(21);

    const runs = await db.sql`SELECT migration, count(*)::int AS n FROM app.runs GROUP BY migration ORDER BY migration`;
    expect(runs.map((r) => [r.migration, r.n])).toEqual(Array.from({ length: 20 }, (_, i) => [i + 2, 1]));
    expect(await historyRows(db)).toHaveLength(21);
    expect((await events(db)).filter((e) => e.event === 'up')).toHaveLength(21);
  });

  it('a second runner gives up after --lock-timeout, exit 1, naming the pid that holds the lock', async () => {
    project.addTable(1, 'a');
    project.write('migrations/002_app_create_slow.sql', `${tableUp('slow')}SELECT pg_sleep(8);\n`);
    project.write('migrations/002_down.sql', 'DROP TABLE app.slow;\n');
    await project.sum();

    const first = execa('node', [BIN, 'migrate', 'up', '--url', db.url], { cwd: project.dir, reject: false, env: { NO_COLOR: '1' } });
    // Wait until the first runner is inside the slow migration.
    const holderPid = await waitFor(async () => {
      const rows = await db.sql`SELECT pid FROM pg_stat_activity WHERE datname = ${db.name} AND query LIKE 'SELECT pg_sleep(8)%'`;
      return rows[0]?.pid as number | undefined;
    });

    const started = Date.now();
    const second = await project.migrate(['up', '--lock-timeout', '2']);
    const elapsed = Date.now() - started;
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(`pid ${holderPid}`);
    expect(second.stderr).toMatch(/holds the lock on aibos\.schema_migrations/);
    expect(elapsed).toBeLessThan(8000);

    const firstResult = await first;
    expect(firstResult.exitCode, firstResult.stderr).toBe(0);
    expect((await historyRows(db)).map((r) => r.version)).toEqual(['1', '2']);
  });

  it('a runner killed with SIGKILL inside a slow migration leaves it unapplied and unrecorded; the next run applies it once', async () => {
    // The sleep length is a database setting, so the file stays byte-identical between the two runs.
    const slowBody = `${tableUp('slow')}INSERT INTO app.runs (migration) VALUES (2);\nSELECT pg_sleep(coalesce(nullif(current_setting('aibos_test.sleep', true), ''), '0')::float);\n`;
    project.write('migrations/001_app_create_runs.sql', RUNS_TABLE);
    project.write('migrations/002_app_create_slow.sql', slowBody);
    project.write('migrations/002_down.sql', 'DROP TABLE app.slow;\n');
    await project.sum();
    await db.sql.unsafe(`ALTER DATABASE ${db.name} SET aibos_test.sleep = '30'`);

    const victim = execa('node', [BIN, 'migrate', 'up', '--url', db.url], { cwd: project.dir, reject: false, env: { NO_COLOR: '1' } });
    await waitFor(async () => {
      const rows = await db.sql`SELECT pid FROM pg_stat_activity WHERE datname = ${db.name} AND query LIKE 'SELECT pg_sleep(%'`;
      return rows[0]?.pid as number | undefined;
    });
    victim.kill('SIGKILL');
    const killed = await victim;
    expect(killed.signal).toBe('SIGKILL');
    await db.sql.unsafe(`ALTER DATABASE ${db.name} RESET aibos_test.sleep`);

    // Nothing of migration 2 is visible, and no history row claims it.
    expect((await historyRows(db)).map((r) => r.version)).toEqual(['1']);
    const [slow] = await db.sql`SELECT to_regclass('app.slow') IS NOT NULL AS present`;
    expect(slow?.present).toBe(false);

    // The server notices the dead client and frees the lock; the next run applies 2 exactly once.
    const started = Date.now();
    const next = await project.migrate(['up', '--lock-timeout', '60']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await historyRows(db)).map((r) => r.version)).toEqual(['1', '2']);
    const [count] = await db.sql`SELECT count(*)::int AS n FROM app.runs WHERE migration = 2`;
    expect(count?.n).toBe(1);
  }, 120_000);
});

describe.runIf(hasServer)('aibos migrate interrupted with Ctrl-C', () => {
  let db: TestDatabase;
  let project: Project;

  useMigrateDatabase((s) => ({ db, project } = s));

  /** Starts `migrate up`, waits until the server runs `query`, then sends SIGINT; resolves once the server has dropped the runner's session. */
  async function interruptDuring(query: string) {
    const run = execa('node', [BIN, 'migrate', 'up', '--url', db.url], { cwd: project.dir, reject: false, env: { NO_COLOR: '1' } });
    await waitFor(async () => (await db.sql`SELECT pid FROM pg_stat_activity WHERE datname = ${db.name} AND query LIKE ${`${query}%`}`)[0]?.pid as number | undefined);
    run.kill('SIGINT');
    const result = await run;
    await waitFor(async () => ((await db.sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${db.name} AND application_name = 'aibos migrate'`)[0]?.n === 0 ? true : undefined));
    return result;
  }

  it('in a transactional migration: one line naming it, exit 130, and the server rolls it back', async () => {
    project.addTable(1, 'a');
    project.write('migrations/002_app_create_slow.sql', `${tableUp('slow')}SELECT pg_sleep(30);\n`);
    project.write('migrations/002_down.sql', 'DROP TABLE app.slow;\n');
    await project.sum();

    const r = await interruptDuring('SELECT pg_sleep(30)');
    expect(r.exitCode).toBe(130);
    expect(r.stdout).toBe('');
    const [applied, interrupted, ...rest] = r.stderr.split('\n');
    expect(applied).toMatch(/^applied 001_app_create_a\.sql \(\d+ ms\)$/);
    expect(interrupted).toBe('aibos: interrupted while applying 002_app_create_slow.sql — rolled back: its transaction never committed, so nothing of it is applied or recorded.');
    expect(rest).toEqual([]);
    expect((await historyRows(db)).map((x) => x.version)).toEqual(['1']);
    expect(await tableExists(db, 'app.slow')).toBe(false);
  }, 60_000);

  it('in a migration outside a transaction: says it may have stopped part-way, and status reports it as failed', async () => {
    project.addTable(1, 'a');
    project.addIndexOnA();
    await project.sum();
    expect((await project.migrate(['up', '--to', '1'])).exitCode).toBe(0);

    // An open transaction that has read app.a makes CREATE INDEX CONCURRENTLY wait for it.
    const reader = await db.sql.reserve();
    try {
      await reader.unsafe('BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM app.a');
      const r = await interruptDuring('CREATE INDEX CONCURRENTLY a_idx');
      expect(r.exitCode).toBe(130);
      expect(r.stderr).toBe(
        'aibos: interrupted while applying 002_app_index_a.sql, which runs outside a transaction — it may have stopped part-way (an INVALID index may remain): aibos migrate status reports it as failed; check what it left, then run aibos migrate down --steps 1.',
      );
    } finally {
      await reader.unsafe('ROLLBACK');
      reader.release();
    }
    const status = await project.migrate(['status', '--json']);
    expect(JSON.parse(status.stdout).problems.map((p: { kind: string; version: number }) => `${p.kind}:${p.version}`)).toEqual(['failed:2']);
  }, 60_000);
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
