import { cpSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempProject, type TempProject } from './helpers/project.js';

/**
 * `aibos lint` runs its bundle with V8's code cache (scripts/code-cache-loader.mjs). Each test works on
 * a copy of the built package (bin/ and dist/ copied, the rest linked), so the caches it breaks are
 * its own and not those of the suites running beside it.
 */
let install: TempProject;
let project: TempProject;
let cliDir: string;

const MIGRATION = `-- author: test\n-- reason: code cache\nCREATE TABLE finance.accounts (\n    id bigint PRIMARY KEY,\n    amount float8\n);\n`;

function cacheFiles(): string[] {
  return readdirSync(cliDir).filter((n) => n.endsWith('.v8-cache'));
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
