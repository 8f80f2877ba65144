import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { resolveDatabaseUrl } from '../../src/db/connect.js';
import { runCli, tempProject, type TempProject } from '../helpers/project.js';
import { createTestDatabase, hasServer, SERVER_URL } from './helpers.js';

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

  it('says on stderr when DATABASE_URL takes the place of the environment\'s own url, naming both, never a password', async () => {
    const p = setup();
    p.write('.aibosrc.json', JSON.stringify({ environments: { prod: { url: 'env:PROD_DB' }, staging: { url: `postgres://carol:${SECRET}@db.internal:5432/staging` } } }));
    const env = { DATABASE_URL: `postgres://bob:${SECRET}@127.0.0.1:1/x`, PROD_DB: `postgres://dave:${SECRET}@db.internal/prod` };
    const refused =
      'aibos: Cannot use the database at 127.0.0.1:1 (database "x", user "bob"): connection refused (is the server running and accepting TCP connections on that port?) — check the URL (--url, DATABASE_URL or the environment\'s url) and that the server is reachable.';
    const prod = await runCli(['migrate', 'status', '--env', 'prod'], { cwd: p.dir, env });
    expect(prod.exitCode).toBe(2);
    expect(prod.stderr.split('\n')).toEqual([
      'aibos: using DATABASE_URL (postgres://bob@127.0.0.1:1/x), not environments.prod.url in .aibosrc.json (env:PROD_DB) — unset DATABASE_URL to use the environment\'s database.',
      refused,
    ]);
    const staging = await runCli(['migrate', 'up', '--env', 'staging', '--json'], { cwd: p.dir, env });
    expect(staging.stderr.split('\n')).toEqual([
      'aibos: using DATABASE_URL (postgres://bob@127.0.0.1:1/x), not environments.staging.url in .aibosrc.json (postgres://carol:***@db.internal:5432/staging) — unset DATABASE_URL to use the environment\'s database.',
      refused,
    ]);
    // The default environment has no url of its own: nothing to say.
    const dev = await runCli(['migrate', 'status'], { cwd: p.dir, env });
    expect(dev.stderr).toBe(refused);
    expect(`${prod.stdout}${prod.stderr}${staging.stdout}${staging.stderr}`).not.toContain(SECRET);
  });

  it('rejects a malformed URL with exit 2 and without echoing its password', async () => {
    const p = setup();
    const r = await runCli(['migrate', 'up', '--url', `postgres://carol:${SECRET}@[bad/x`], { cwd: p.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a valid URL/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
  });

  it('honours libpq host and port query parameters over the URL authority, a socket directory included, and names what it used', async () => {
    const p = setup();
    const tcp = await runCli(['migrate', 'status', '--url', `postgres://alice:${SECRET}@localhost:5432/appdb?host=127.0.0.1&port=1`], { cwd: p.dir });
    expect(tcp.exitCode).toBe(2);
    expect(tcp.stderr).toBe(
      'aibos: Cannot use the database at 127.0.0.1:1 (database "appdb", user "alice"): connection refused (is the server running and accepting TCP connections on that port?) — check the URL (--url, DATABASE_URL or the environment\'s url) and that the server is reachable.',
    );
    const socket = await runCli(['migrate', 'status', '--url', 'postgres:///appdb?host=/nonexistent-aibos-dir&port=5433'], { cwd: p.dir, env: { PGUSER: 'alice' } });
    expect(socket.exitCode).toBe(2);
    expect(socket.stderr).toBe(
      'aibos: Cannot use the database at /nonexistent-aibos-dir/.s.PGSQL.5433 (database "appdb", user "alice"): no server socket there (is the server running, and is that its socket directory?) — check the URL (--url, DATABASE_URL or the environment\'s url) and that the server is reachable.',
    );
    const port = await runCli(['migrate', 'status', '--url', 'postgres://alice@localhost/appdb?port=99999'], { cwd: p.dir });
    expect(port.exitCode).toBe(2);
    expect(port.stderr).toBe('aibos: The database URL\'s port "99999" is not a port number (1-65535).');
    expect(`${tcp.stdout}${tcp.stderr}`).not.toContain(SECRET);
  });

  it.runIf(hasServer)('connects to the host and port of the query, not to the authority', async () => {
    const p = setup();
    const db = await createTestDatabase();
    try {
      const server = new URL(db.url);
      const u = new URL(db.url);
      u.host = 'localhost:1';
      u.searchParams.set('host', server.hostname);
      u.searchParams.set('port', server.port || '5432');
      const r = await runCli(['migrate', 'status', '--json', '--url', u.toString()], { cwd: p.dir });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ applied: [], pending: [{ version: 1 }] });
    } finally {
      await db.drop();
    }
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

  it.runIf(hasServer)('a server without SSL, asked for it by the URL or by the environment, says so and where it was asked', async () => {
    const admin = postgres(SERVER_URL!, { max: 1, onnotice: () => undefined });
    const [{ ssl }] = (await admin`SHOW ssl`) as unknown as [{ ssl: string }];
    await admin.end();
    expect(ssl, 'this test needs a server with ssl = off').toBe('off');
    const u = new URL(SERVER_URL!);
    u.password = SECRET;
    const at = `Cannot use the database at ${u.hostname}:${u.port || 5432} (database "${u.pathname.slice(1)}", user "${decodeURIComponent(u.username)}")`;

    const p = setup();
    u.searchParams.set('sslmode', 'require');
    const byUrl = await runCli(['migrate', 'status', '--url', u.toString()], { cwd: p.dir });
    expect(byUrl.exitCode).toBe(2);
    expect(byUrl.stderr).toBe(`aibos: ${at}: the server does not accept SSL connections, but the URL says sslmode=require — use sslmode=prefer or sslmode=disable there, or enable SSL on the server.`);

    p.write('.aibosrc.json', JSON.stringify({ environments: { prod: { url: 'env:PROD_DB', ssl: 'require' } } }));
    u.searchParams.delete('sslmode');
    const byConfig = await runCli(['migrate', 'status', '--env', 'prod'], { cwd: p.dir, env: { PROD_DB: u.toString() } });
    expect(byConfig.exitCode).toBe(2);
    expect(byConfig.stderr).toBe(`aibos: ${at}: the server does not accept SSL connections, but environments.prod.ssl in .aibosrc.json is "require" — set it to "prefer" or false, or enable SSL on the server.`);
    expect(`${byUrl.stdout}${byUrl.stderr}${byConfig.stdout}${byConfig.stderr}`).not.toContain(SECRET);
  });
});
