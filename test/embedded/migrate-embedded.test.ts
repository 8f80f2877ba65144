import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN, runCli, sum, tempProject, type TempProject } from '../helpers/project.js';
import { createTestDatabase, hasServer } from '../runner/helpers.js';
import { goodProject } from '../verify/fixtures.js';

const NOTICE = 'aibos: no database URL given; using the embedded database in .aibos/pglite';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

interface HistoryEvent {
  event: string;
  version: number;
  name: string;
  checksum: string;
  createdAt: string;
  detail: Record<string, unknown>;
  [key: string]: unknown;
}

/** A history with what differs from run to run (times, durations, ids) taken out. */
function comparable(events: HistoryEvent[]) {
  return events.map(({ createdAt: _at, id: _id, detail, ...rest }) => {
    const { durationMs: _ms, ...stable } = detail ?? {};
    return { ...rest, detail: stable };
  });
}

async function project4(): Promise<TempProject> {
  const p = tempProject(goodProject());
  await sum(p.dir);
  return p;
}

describe('the embedded default (no URL anywhere)', () => {
  it('migrate up, status, down and history use .aibos/pglite, across processes', async () => {
    project = await project4();
    const env = { DATABASE_URL: undefined };

    const up = await runCli(['migrate', 'up', '--to', '102'], { cwd: project.dir, env });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr.split('\n').filter((l) => l === NOTICE)).toHaveLength(1);
    expect(up.stdout).toContain('Applied 3 migrations');
    expect(existsSync(path.join(project.dir, '.aibos', 'pglite', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(project.dir, '.aibos', 'pglite.lock'))).toBe(false);

    const status = await runCli(['migrate', 'status', '--json'], { cwd: project.dir, env });
    expect(status.exitCode, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { applied: { version: number }[]; pending: { version: number }[]; problems: unknown[] };
    expect(doc.applied.map((m) => m.version)).toEqual([1, 101, 102]);
    expect(doc.pending.map((m) => m.version)).toEqual([103, 104]);
    expect(doc.problems).toEqual([]);

    const down = await runCli(['migrate', 'down', '--steps', '1'], { cwd: project.dir, env });
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain('Reverted 1 migration (102)');

    const rest = await runCli(['migrate', 'up'], { cwd: project.dir, env });
    expect(rest.exitCode, rest.stderr).toBe(0);
    expect(rest.stdout).toContain('Applied 3 migrations');

    const history = await runCli(['migrate', 'history', '--json'], { cwd: project.dir, env });
    expect(history.exitCode, history.stderr).toBe(0);
    const events = (JSON.parse(history.stdout) as { events: HistoryEvent[] }).events;
    expect(events.map((e) => `${e.event} ${e.version}`)).toEqual(['up 104', 'up 103', 'up 102', 'down 102', 'up 102', 'up 101', 'up 1']);
  }, 180_000);

  it('takes over the lock of an aibos process that is gone', async () => {
    project = await project4();
    const lock = path.join(project.dir, '.aibos', 'pglite.lock');
    const up = await runCli(['migrate', 'up', '--to', '1'], { cwd: project.dir });
    expect(up.exitCode, up.stderr).toBe(0);
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    writeFileSync(lock, JSON.stringify({ pid: 4194305, host: (await import('node:os')).hostname(), since: new Date().toISOString() }));
    const status = await runCli(['migrate', 'status', '--json'], { cwd: project.dir });
    expect(status.exitCode, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { applied: unknown[] }).applied).toHaveLength(1);
    expect(existsSync(lock)).toBe(false);
  }, 120_000);
});

describe('a fresh embedded database', () => {
  it('is made by initdb once per machine, then copied from the pristine cluster kept in the temp folder; a damaged copy is replaced', async () => {
    project = await project4();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'aibos-pristine-'));
    try {
      const env = { DATABASE_URL: undefined, TMPDIR: tmp };
      const pristine = () => readdirSync(tmp).filter((n) => /^aibos-pglite-.*-pristine\.tar\.gz$/.test(n));
      const applied = async () => JSON.parse((await runCli(['migrate', 'status', '--json'], { cwd: project!.dir, env })).stdout).applied.map((r: { name: string }) => r.name);

      const first = await runCli(['migrate', 'up'], { cwd: project.dir, env });
      expect(first.exitCode, first.stderr).toBe(0);
      expect(pristine()).toHaveLength(1);
      const names = await applied();
      expect(names).toHaveLength(5);

      // A new database (the folder removed) starts from the kept cluster.
      const kept = readFileSync(path.join(tmp, pristine()[0]!));
      rmSync(path.join(project.dir, '.aibos'), { recursive: true, force: true });
      const again = await runCli(['migrate', 'up'], { cwd: project.dir, env });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(await applied()).toEqual(names);
      expect(readFileSync(path.join(tmp, pristine()[0]!)).equals(kept)).toBe(true);

      // A damaged copy is thrown away: initdb runs and keeps a good one.
      writeFileSync(path.join(tmp, pristine()[0]!), 'not a tarball');
      rmSync(path.join(project.dir, '.aibos'), { recursive: true, force: true });
      const repaired = await runCli(['migrate', 'up'], { cwd: project.dir, env });
      expect(repaired.exitCode, repaired.stderr).toBe(0);
      expect(await applied()).toEqual(names);
      expect(readFileSync(path.join(tmp, pristine()[0]!)).length).toBeGreaterThan(1_000_000);
      expect(readdirSync(project.dir + '/.aibos').filter((n) => n.includes('.init-'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('extensions on the embedded database', () => {
  it('opens a folder whose postgresql.conf preloads pg_stat_statements (what earlier builds left)', async () => {
    project = await project4();
    const env = { DATABASE_URL: undefined };
    expect((await runCli(['migrate', 'up'], { cwd: project.dir, env })).exitCode).toBe(0);
    // Earlier builds registered every contrib extension, and PGlite then rewrote the file to this.
    writeFileSync(path.join(project.dir, '.aibos', 'pglite', 'postgresql.conf'), '\nshared_preload_libraries=pg_stat_statements');
    const status = await runCli(['migrate', 'status', '--json'], { cwd: project.dir, env });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).applied).toHaveLength(5);
  });

  it('starts with the extensions its migrations create (earthdistance with the cube it needs), across runs', async () => {
    project = tempProject({
      ...goodProject(),
      'migrations/105_finance_add_accounts_email.sql': `-- author: test
-- reason: case-insensitive e-mail and distances
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA finance;
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA finance CASCADE;
ALTER TABLE finance.accounts ADD COLUMN IF NOT EXISTS email finance.citext;
`,
      'migrations/105_down.sql': `ALTER TABLE finance.accounts DROP COLUMN IF EXISTS email;
DROP EXTENSION IF EXISTS earthdistance;
DROP EXTENSION IF EXISTS cube;
DROP EXTENSION IF EXISTS citext;
`,
    });
    await sum(project.dir);
    const env = { DATABASE_URL: undefined };
    const up = await runCli(['migrate', 'up'], { cwd: project.dir, env });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).toContain('Applied 6 migrations');
    // A later process opens the database that has them, and can take them back out.
    const again = await runCli(['migrate', 'up'], { cwd: project.dir, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('Already up to date');
    const down = await runCli(['migrate', 'down', '--steps', '1'], { cwd: project.dir, env });
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain('Reverted 1 migration (105)');
    // verify's shadows start with them too.
    const verify = await runCli(['verify'], { cwd: project.dir, env });
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });
});

describe.runIf(hasServer)('the embedded history matches a server', () => {
  it('records the same events, names, checksums and details as a real server for the same runs', async () => {
    project = await project4();
    const db = await createTestDatabase();
    try {
      const histories = [];
      for (const extra of [[], ['--url', db.url]]) {
        for (const args of [['up'], ['down', '--steps', '2'], ['up', '--to', '103']]) {
          const r = await runCli(['migrate', ...args, ...extra], { cwd: project.dir });
          expect(r.exitCode, r.stderr).toBe(0);
        }
        const h = await runCli(['migrate', 'history', '--json', ...extra], { cwd: project.dir });
        expect(h.exitCode, h.stderr).toBe(0);
        histories.push(comparable((JSON.parse(h.stdout) as { events: HistoryEvent[] }).events));
      }
      // 5 ups, 2 downs (104, 103), 103 up again
      expect(histories[0]!.map((e) => `${e.event} ${e.version}`)).toEqual(['up 103', 'down 103', 'down 104', 'up 104', 'up 103', 'up 102', 'up 101', 'up 1']);
      expect(histories[0]).toEqual(histories[1]);
    } finally {
      await db.drop();
    }
  }, 240_000);
});

describe('an interrupted embedded run', () => {
  it('a Ctrl-C during a run keeps every migration it reported as applied (the database is this process: nothing commits asynchronously)', async () => {
    project = tempProject({
      ...goodProject(),
      'migrations/105_finance_backfill_accounts.sql': '-- author: test\n-- reason: a slow step\nSELECT pg_sleep(60);\n',
      'migrations/105_down.sql': 'SELECT 1;\n',
    });
    await sum(project.dir);
    const run = execa('node', [BIN, 'migrate', 'up'], { cwd: project.dir, env: { NO_COLOR: '1', DATABASE_URL: undefined }, extendEnv: true, reject: false });
    // Interrupt once 104 is reported applied (105 sleeps).
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      run.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('applied 104_finance_add_accounts_name.sql')) resolve();
      });
      void run.then(() => reject(new Error(`migrate up ended before 104 was applied:\n${seen}`)));
    });
    run.kill('SIGINT');
    await run;
    const status = await runCli(['migrate', 'status', '--json'], { cwd: project.dir });
    expect(status.exitCode, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as { applied: { version: number }[]; pending: { version: number }[] };
    expect(doc.applied.map((a) => a.version)).toContain(104);
    expect(doc.pending.map((p) => p.version)).toEqual([105]);
  });
});
