import { cpSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempProject, type TempProject } from './helpers/project.js';

/**
 * `aibos lint` and `aibos migrate` run their bundles with V8's code cache (scripts/code-cache-loader.cjs). Each test works on
 * a copy of the built package (bin/ and dist/ copied, the rest linked), so the caches it breaks are
 * its own and not those of the suites running beside it.
 */
let install: TempProject;
let project: TempProject;
let cliDir: string;

const MIGRATION = `-- author: test\n-- reason: code cache\nCREATE TABLE finance.accounts (\n    id bigint PRIMARY KEY,\n    amount float8\n);\n`;

/** The code caches of one command's bundle (`lint-command.<hash>.v8-cache`). */
function cacheFiles(command = 'lint'): string[] {
  return readdirSync(cliDir).filter((n) => n.startsWith(`${command}-command.`) && n.endsWith('.v8-cache'));
}

async function lintWithCopy(env: Record<string, string> = {}) {
  const r = await execa('node', [path.join(install.dir, 'bin', 'aibos.js'), 'lint', '--format', 'json'], { cwd: project.dir, env: { NO_COLOR: '1', ...env }, reject: false });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  install = tempProject({});
  cpSync(path.join(ROOT, 'bin'), path.join(install.dir, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'dist'), path.join(install.dir, 'dist'), { recursive: true });
  for (const linked of ['node_modules', 'package.json', 'schema', 'rules', 'templates']) symlinkSync(path.join(ROOT, linked), path.join(install.dir, linked));
  cliDir = path.join(install.dir, 'dist', 'cli');
  project = tempProject({ 'migrations/101_finance_create_accounts.sql': MIGRATION });
});

afterAll(() => {
  install?.cleanup();
  project?.cleanup();
});

describe('the lint bundle and its code cache', () => {
  let expected: string;

  beforeAll(async () => {
    // The report of the repository's own build: every run below must print exactly this.
    const r = await runCli(['lint', '--format', 'json'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expected = r.stdout.replaceAll(ROOT, install.dir);
  });

  it('the build writes the cache, named after the bundle, and a lint uses it as it is', async () => {
    const [cache] = cacheFiles();
    expect(cacheFiles()).toHaveLength(1);
    expect(cache).toMatch(/^lint-command\.[0-9a-f]{16}\.v8-cache$/);
    const before = readFileSync(path.join(cliDir, cache!));
    expect(before.length).toBeGreaterThan(10_000);
    // A cache is written to a temporary file renamed over the old one: a new inode.
    const inode = statSync(path.join(cliDir, cache!)).ino;

    const r = await lintWithCopy();
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(expected);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { ruleId: string }) => d.ruleId)).toContain('ban-float-money');
    // Accepted: not written again.
    expect(statSync(path.join(cliDir, cache!)).ino).toBe(inode);
    expect(readFileSync(path.join(cliDir, cache!)).equals(before)).toBe(true);
  });

  it('a cache V8 rejects is ignored and written anew; the report is the same', async () => {
    const [cache] = cacheFiles();
    const file = path.join(cliDir, cache!);
    writeFileSync(file, 'not a V8 code cache');

    const r = await lintWithCopy();
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(expected);
    const rewritten = readFileSync(file);
    expect(rewritten.length).toBeGreaterThan(10_000);
    expect(readdirSync(cliDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);

    // The new cache is taken as it is by the next run.
    const inode = statSync(file).ino;
    expect((await lintWithCopy()).stdout).toBe(expected);
    expect(statSync(file).ino).toBe(inode);
    expect(readFileSync(file).equals(rewritten)).toBe(true);
  });

  it('AIBOS_NO_CODE_CACHE=1 neither reads nor writes a cache; a run that stops early writes none; a lint does', async () => {
    for (const name of cacheFiles()) rmSync(path.join(cliDir, name));

    const off = await lintWithCopy({ AIBOS_NO_CODE_CACHE: '1' });
    expect(off.stdout).toBe(expected);
    expect(cacheFiles()).toEqual([]);

    // A broken config ends the run with exit 2 before most of the lint has been compiled.
    const broken = tempProject({ '.aibosrc.json': '{', 'migrations/101_finance_create_accounts.sql': MIGRATION });
    try {
      const r = await execa('node', [path.join(install.dir, 'bin', 'aibos.js'), 'lint'], { cwd: broken.dir, reject: false });
      expect(r.exitCode).toBe(2);
      expect(cacheFiles()).toEqual([]);
    } finally {
      broken.cleanup();
    }

    const on = await lintWithCopy();
    expect(on.stdout).toBe(expected);
    expect(cacheFiles()).toHaveLength(1);
  });

  it('the bundle imports ES-only packages through its loader: lint --staged loads execa to ask git', async () => {
    const staged = await execa('node', [path.join(install.dir, 'bin', 'aibos.js'), 'lint', '--staged'], {
      cwd: project.dir,
      env: { NO_COLOR: '1', GIT_CEILING_DIRECTORIES: path.dirname(project.dir) },
      reject: false,
    });
    expect(staged.exitCode).toBe(2);
    expect(staged.stderr).toMatch(/git/i);
    expect(staged.stderr).not.toMatch(/internal error|ERR_VM/);
  });
});

describe('the migrate bundle and its code cache', () => {
  // A lint-clean project on the embedded database (PGlite, which the bundle imports through its loader).
  let app: TempProject;
  const migrate = async (args: string[], env: Record<string, string> = {}) => {
    const r = await execa('node', [path.join(install.dir, 'bin', 'aibos.js'), 'migrate', ...args], { cwd: app.dir, env: { NO_COLOR: '1', ...env }, reject: false });
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };
  const table = (n: number) =>
    `-- author: test\n-- reason: code cache\nCREATE SCHEMA IF NOT EXISTS bench;\nCREATE TABLE IF NOT EXISTS bench.t${n} (\n    id bigint PRIMARY KEY,\n    name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now(),\n    updated_at timestamptz NOT NULL DEFAULT now()\n);\n`;

  beforeAll(async () => {
    app = tempProject({
      '.aibosrc.json': JSON.stringify({ schemas: { bench: { range: [1, 999] } }, tenancy: { globalTables: ['bench.t1', 'bench.t2'] } }),
      'migrations/001_bench_create_t1.sql': table(1),
      'migrations/001_down.sql': 'DROP TABLE IF EXISTS bench.t1;\n',
      'migrations/002_bench_create_t2.sql': table(2),
      'migrations/002_down.sql': 'DROP TABLE IF EXISTS bench.t2;\n',
    });
    expect((await runCli(['sum'], { cwd: app.dir })).exitCode).toBe(0);
    // Whatever cache the repository's own build has by now (other suites run migrate) is not this test's.
    for (const name of cacheFiles('migrate')) rmSync(path.join(cliDir, name));
  });

  afterAll(() => app?.cleanup());

  it('is written by the first up that finds nothing to apply, not by a status or an up that applies; then taken as it is', async () => {
    const status = await migrate(['status']);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/0 applied migrations, 2 pending/);
    expect(cacheFiles('migrate')).toEqual([]);

    const up = await migrate(['up']);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toMatch(/Applied 2 migrations \(1 → 2\) to \.aibos\/pglite/);
    expect(cacheFiles('migrate')).toEqual([]);

    const noop = await migrate(['up']);
    expect(noop.exitCode).toBe(0);
    expect(noop.stdout).toBe('Already up to date: 2 migrations applied to .aibos/pglite.');
    const [cache] = cacheFiles('migrate');
    expect(cacheFiles('migrate')).toHaveLength(1);
    expect(cache).toMatch(/^migrate-command\.[0-9a-f]{16}\.v8-cache$/);
    const file = path.join(cliDir, cache!);
    const written = readFileSync(file);
    expect(written.length).toBeGreaterThan(10_000);

    const again = await migrate(['up']);
    expect(again.stdout).toBe('Already up to date: 2 migrations applied to .aibos/pglite.');
    expect(readFileSync(file).equals(written)).toBe(true);
  });

  it('on a terminal, the bundle imports ora through its loader and draws a spinner per migration', async () => {
    // util-linux `script` gives the run a pseudo-terminal (with a size: ora needs one). ora also
    // draws only where TERM is a real terminal and no CI variable is set, as a developer's shell.
    const r = await execa('script', ['-qec', `stty cols 80 rows 24; node ${path.join(install.dir, 'bin', 'aibos.js')} migrate down --steps 1 && node ${path.join(install.dir, 'bin', 'aibos.js')} migrate up`, '/dev/null'], {
      cwd: app.dir,
      env: { NO_COLOR: '1', TERM: 'xterm-256color', CI: undefined },
      reject: false,
    });
    expect(r.exitCode).toBe(0);
    // ora draws with ANSI codes (cursor moves, colours) whatever NO_COLOR says.
    const screen = r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(screen).toMatch(/⠋ reverting 002_down\.sql✔ reverted 002_down\.sql \(\d+ ms\)/);
    expect(screen).toMatch(/⠋ applying 002_bench_create_t2\.sql✔ applied 002_bench_create_t2\.sql \(\d+ ms\)/);
    expect(screen).toMatch(/Applied 1 migration \(2\) to \.aibos\/pglite/);
    expect(screen).not.toMatch(/internal error|ERR_VM/);
  });

  it('a cache V8 rejects is ignored, and written anew by the next up with nothing to apply', async () => {
    const [cache] = cacheFiles('migrate');
    const file = path.join(cliDir, cache!);
    writeFileSync(file, 'not a V8 code cache');

    const down = await migrate(['down', '--steps', '1']);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toMatch(/Reverted 1 migration \(2\) on \.aibos\/pglite/);
    expect(readFileSync(file, 'utf8')).toBe('not a V8 code cache');

    expect((await migrate(['up'])).stdout).toMatch(/Applied 1 migration \(2\) to \.aibos\/pglite/);
    expect((await migrate(['up'])).stdout).toBe('Already up to date: 2 migrations applied to .aibos/pglite.');
    expect(readFileSync(file).length).toBeGreaterThan(10_000);
    expect(readdirSync(cliDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
