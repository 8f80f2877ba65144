import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { resolveDatabaseUrl } from '../../src/db/connect.js';
import { runCli, tempProject, type TempProject } from '../helpers/project.js';
import { hasServer, SERVER_URL } from './helpers.js';

const SECRET = 'Sup3r-s3cret-pw';

function config(environments: ResolvedConfig['environments'] = {}): ResolvedConfig {
  return { ...DEFAULT_CONFIG, environments, rootDir: '/tmp/x', migrationsPath: '/tmp/x/migrations' };
}

describe('database URL resolution', () => {
  it('prefers --url, then DATABASE_URL, then the environment entry (env:NAME reads a variable)', () => {
    const c = config({ dev: { url: 'postgres://dev@h/dev' }, prod: { url: 'env:PROD_DB', ssl: 'require' } });
    expect(resolveDatabaseUrl({ config: c, url: 'postgres://flag@h/x', environ: { DATABASE_URL: 'postgres://env@h/x' } })).toMatchObject({ url: 'postgres://flag@h/x', source: '--url', env: 'dev' });
    expect(resolveDatabaseUrl({ config: c, environ: { DATABASE_URL: 'postgres://env@h/x' } })).toMatchObject({ url: 'postgres://env@h/x', source: 'DATABASE_URL' });
    expect(resolveDatabaseUrl({ config: c, environ: {} })).toMatchObject({ url: 'postgres://dev@h/dev', source: 'config', env: 'dev' });
    expect(resolveDatabaseUrl({ config: c, env: 'prod', environ: { PROD_DB: 'postgres://p@h/prod' } })).toEqual({ url: 'postgres://p@h/prod', source: 'config', env: 'prod', ssl: 'require' });
    expect(resolveDatabaseUrl({ config: config(), environ: {} })).toBeUndefined();
  });

  it('names the unset variable and the unknown environment', () => {
    const c = config({ prod: { url: 'env:PROD_DB' } });
    expect(() => resolveDatabaseUrl({ config: c, env: 'prod', environ: {} })).toThrow(/environments\.prod\.url reads the variable PROD_DB, which is not set/);
    expect(() => resolveDatabaseUrl({ config: c, env: 'staging', environ: {} })).toThrow('--env staging: no environment "staging". Known: dev, prod, or define "staging" under "environments".');
    // dev and prod exist without an entry (the standard's guardrails).
    expect(resolveDatabaseUrl({ config: config(), env: 'prod', environ: { DATABASE_URL: 'postgres://env@h/x' } })).toMatchObject({ env: 'prod' });
  });
});

describe('unreachable or invalid databases', () => {
  let project: TempProject | undefined;
  afterEach(() => project?.cleanup());

  const setup = () => {
    project = tempProject({ '.aibosrc.json': '{}', 'migrations/001_kernel_create_tenants.sql': 'SELECT 1;\n' });
    return project;
  };

  it('exits 2 naming host, port and the reason, never the password (text and --json)', async () => {
    const p = setup();
    const url = `postgres://alice:${SECRET}@127.0.0.1:1/appdb`;
    for (const sub of [['up'], ['up', '--json'], ['status', '--json'], ['down'], ['history']]) {
      const r = await runCli(['migrate', ...sub, '--url', url], { cwd: p.dir });
      expect(r.exitCode, `${sub.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/127\.0\.0\.1:1 .*connection refused/);
      expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      if (sub.includes('--json')) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { kind: 'DatabaseError' } });
    }
  });

  it('reads DATABASE_URL and keeps its password out of the output too', async () => {
    const p = setup();
    const r = await runCli(['migrate', 'status'], { cwd: p.dir, env: { DATABASE_URL: `postgresql://bob:${SECRET}@127.0.0.1:1/x?sslmode=disable` } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });

  it('rejects a malformed URL with exit 2 and without echoing its password', async () => {
    const p = setup();
    const r = await runCli(['migrate', 'up', '--url', `postgres://carol:${SECRET}@[bad/x`], { cwd: p.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a valid URL/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });

  it.runIf(hasServer)('names a database that does not exist, with the server reason', async () => {
    const p = setup();
    const u = new URL(SERVER_URL!);
    u.password = SECRET;
    u.pathname = '/aibos_no_such_database';
    const r = await runCli(['migrate', 'status', '--url', u.toString()], { cwd: p.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/database "aibos_no_such_database" does not exist/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });
});
