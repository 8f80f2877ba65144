/**
 * The embedded driver: `Database` over PGlite (Postgres compiled to WASM, in
 * this process). Used as the default target when no URL is configured
 * (stored in `.aibos/pglite/`) and as verify's throwaway shadow ('memory').
 *
 * PGlite is ONE connection. So:
 * - transactions are serialised (PGlite's own mutex), and a `db.query` made
 *   from inside a transaction callback runs inside that transaction instead of
 *   waiting for it to finish (which would deadlock);
 * - `reserve()` hands back a session over the same connection: advisory locks
 *   and SET work, but every lock is granted to "us" — so two processes must
 *   never open the same folder at once. PGlite does not prevent that (both
 *   write, rows are lost), hence the lock file next to the folder.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DatabaseError, LockTimeoutError } from '../errors.js';
import type { Database, DbSession, ReservedSession, ServerErrorInfo } from './types.js';
import { importModule } from '../import-module.js';

/**
 * The contrib extensions PGlite ships, as `CREATE EXTENSION` names them, and the module of each.
 * An instance registers only those its migrations create: PGlite unpacks every registered
 * extension into the instance's file system when it starts, and all 21 took ~450 ms of every start.
 */
const CONTRIB: Readonly<Record<string, string>> = {
  pgcrypto: 'pgcrypto',
  'uuid-ossp': 'uuid_ossp',
  citext: 'citext',
  pg_trgm: 'pg_trgm',
  btree_gist: 'btree_gist',
  btree_gin: 'btree_gin',
  hstore: 'hstore',
  ltree: 'ltree',
  fuzzystrmatch: 'fuzzystrmatch',
  unaccent: 'unaccent',
  intarray: 'intarray',
  cube: 'cube',
  earthdistance: 'earthdistance',
  isn: 'isn',
  seg: 'seg',
  tablefunc: 'tablefunc',
  moddatetime: 'moddatetime',
  lo: 'lo',
  tcn: 'tcn',
  bloom: 'bloom',
  pg_stat_statements: 'pg_stat_statements',
};

/** What `CREATE EXTENSION … CASCADE` also installs. */
const REQUIRES: Readonly<Record<string, string[]>> = { earthdistance: ['cube'] };

/**
 * Extensions PGlite registers by writing `shared_preload_libraries` into postgresql.conf: a cluster
 * started with one cannot start without it, so it is never kept as the machine's pristine cluster.
 */
const PRELOADED = new Set(['pg_stat_statements']);

export interface PgliteOptions {
  /** How long to wait for another aibos process that has the same folder open (default 60 s). */
  lockTimeoutMs?: number;
  /** Shown in messages instead of the absolute folder (e.g. `.aibos/pglite`). */
  display?: string;
  /** Called with each NOTICE/WARNING the server raises (default: dropped, so stdout stays clean). */
  onNotice?: (message: string) => void;
  /**
   * The extensions the database may use, by their `CREATE EXTENSION` names: those the migrations
   * create (see extensionsCreatedIn). Default: every contrib extension PGlite has.
   */
  extensions?: readonly string[];
}

/**
 * A server error raised by PGlite, with the same fields as the `postgres`
 * package's PostgresError (code, message, detail, hint, position, where), so
 * callers handle both drivers alike. `position` is 1-based, in characters of
 * the statement text sent.
 */
export class PgliteSqlError extends Error implements ServerErrorInfo {
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: number;
  readonly where?: string;
  readonly severity?: string;
  constructor(info: ServerErrorInfo & { severity?: string }) {
    super(info.message);
    this.name = 'PgliteSqlError';
    this.code = info.code;
    this.detail = info.detail;
    this.hint = info.hint;
    this.position = info.position;
    this.where = info.where;
    this.severity = info.severity;
  }
}

interface RawServerError {
  message?: unknown;
  code?: unknown;
  detail?: unknown;
  hint?: unknown;
  position?: unknown;
  where?: unknown;
  severity?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** PGlite's DatabaseError (position as a string) -> PgliteSqlError; anything that is not a server error passes as is. */
function normalise(error: unknown): unknown {
  const e = error as RawServerError | undefined;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return error;
  const position = Number(e.position);
  return new PgliteSqlError({
    code: e.code,
    message: text(e.message) ?? 'unknown server error',
    detail: text(e.detail),
    hint: text(e.hint),
    position: Number.isInteger(position) && position > 0 ? position : undefined,
    where: text(e.where),
    severity: text(e.severity),
  });
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw normalise(error);
  }
}

// --- the cross-process lock on a stored folder -------------------------------------------------

interface Holder {
  pid: number;
  host: string;
}

function readHolder(lockPath: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, host: String(parsed.host ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  // A lock from another machine (shared folder) cannot be checked: assume it is alive.
  if (holder.host && holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<folder>.lock` (O_EXCL); a lock whose process is gone is taken over. Returns the release function. */
async function lockFolder(folder: string, display: string, timeoutMs: number): Promise<() => void> {
  const lockPath = `${folder}.lock`;
  const deadline = Date.now() + timeoutMs;
  let unreadableSince: number | undefined;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new DatabaseError(`Cannot create the lock file ${display}.lock: ${(error as Error).message.split('\n')[0]} — check that the folder is writable.`);
    }
    const holder = readHolder(lockPath);
    if (!holder) {
      // Just created and not yet written by its owner — or left half-written by a crash.
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince < 1000) {
        await sleep(50);
        continue;
      }
    }
    if (!holder || !isAlive(holder)) {
      // Stale (a killed run): remove and retry; a race with another process doing the same is settled by O_EXCL.
      rmSync(lockPath, { force: true });
      unreadableSince = undefined;
      continue;
    }
    if (Date.now() >= deadline)
      throw new LockTimeoutError(
        `The embedded database ${display} is in use by another aibos process (pid ${holder.pid}) — wait for it to finish, or remove ${display}.lock if that process is gone.`,
      );
    await sleep(200);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the driver --------------------------------------------------------------------------------

type PgliteInstance = import('@electric-sql/pglite').PGlite;
type PgliteTx = import('@electric-sql/pglite').Transaction;
type Runner = Pick<PgliteInstance, 'query' | 'exec'> | PgliteTx;

/** The contrib modules for `names` (and what they require); names PGlite lacks are left to CREATE EXTENSION to report. */
async function loadContrib(names: readonly string[] = Object.keys(CONTRIB)): Promise<Record<string, unknown>> {
  const wanted = new Set<string>();
  const add = (name: string) => {
    const module = CONTRIB[name];
    if (!module || wanted.has(module)) return;
    wanted.add(module);
    for (const required of REQUIRES[name] ?? []) add(required);
  };
  for (const name of names) add(name);
  const entries = await Promise.all(
    [...wanted].map(async (module) => {
      const mod = await importModule<Record<string, unknown>>(`@electric-sql/pglite/contrib/${module}`);
      return [module, mod[module]] as const;
    }),
  );
  return Object.fromEntries(entries.filter(([, ext]) => ext));
}

/**
 * Opens the embedded database: `'memory'` for a throwaway one, or a folder
 * (created if missing; Postgres initialises it on first use, ~3 s).
 */
export async function openPglite(location: string | 'memory', options: PgliteOptions = {}): Promise<Database> {
  const inMemory = location === 'memory';
  const folder = inMemory ? undefined : path.resolve(location);
  const display = inMemory ? 'memory' : (options.display ?? location);
  let release: (() => void) | undefined;
  if (folder) {
    try {
      mkdirSync(path.dirname(folder), { recursive: true });
    } catch (error) {
      throw new DatabaseError(`Cannot create the embedded database folder ${display}: ${(error as Error).message.split('\n')[0]} — check that it is writable.`);
    }
    release = await lockFolder(folder, display, options.lockTimeoutMs ?? 60_000);
    try {
      await initialiseOnce(folder, display, options.extensions);
    } catch (error) {
      release();
      throw error;
    }
  }

  let pg: PgliteInstance;
  try {
    const extensions = options.extensions && folder ? [...options.extensions, ...preloadedLibraries(folder)] : options.extensions;
    pg = await createInstance({ dataDir: folder }, extensions);
  } catch (error) {
    release?.();
    throw new DatabaseError(
      `Cannot open the embedded database ${display}: ${(error as Error).message.split('\n')[0]}` +
        (folder ? ` — if the folder is damaged, move it away (it is recreated empty), or use --url.` : ''),
    );
  }
  return wrap(pg, display, options, release);
}

/**
 * First use of a folder: the cluster is made in a sibling folder that is renamed into place when
 * complete, so an interrupted first run (Ctrl-C during initdb) never leaves a half-made cluster that
 * PGlite cannot start.
 */
async function initialiseOnce(folder: string, display: string, extensions: readonly string[] | undefined): Promise<void> {
  if (existsSync(path.join(folder, 'PG_VERSION'))) return;
  if (existsSync(folder) && readdirSync(folder).length)
    throw new DatabaseError(`${display} is not an embedded database (no PG_VERSION) — move it away so aibos can create a fresh one there.`);
  const staging = `${folder}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const { instance } = await freshInstance(staging, extensions);
    await instance.close();
    rmSync(folder, { recursive: true, force: true });
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new DatabaseError(`Cannot create the embedded database in ${display}: ${(error as Error).message.split('\n')[0]} — check the folder is writable, or use --url.`);
  }
}

/**
 * The libraries a folder's postgresql.conf preloads. PGlite writes them there when an extension that
 * needs preloading is registered (pg_stat_statements: earlier builds of aibos registered every contrib
 * extension), and Postgres then cannot start without them: such a folder gets them registered again.
 */
function preloadedLibraries(folder: string): string[] {
  let conf: string;
  try {
    conf = readFileSync(path.join(folder, 'postgresql.conf'), 'utf8');
  } catch {
    return [];
  }
  const m = /^\s*shared_preload_libraries\s*=\s*'?([^'#\n]*)/m.exec(conf);
  return m ? m[1]!.split(',').map((name) => name.trim()).filter(Boolean) : [];
}

async function createInstance(options: { dataDir?: string; loadDataDir?: Blob }, extensionNames: readonly string[] | undefined): Promise<PgliteInstance> {
  // Loaded here, not at the top: commands that never touch a database (lint) must not pay for the WASM.
  const { PGlite } = await importModule<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
  const extensions = await loadContrib(extensionNames);
  return PGlite.create({ ...options, extensions: extensions as never });
}

/** Where a pristine cluster (right after initdb) is kept between runs, per PGlite version. */
function pristineCachePath(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version?: string };
    return path.join(os.tmpdir(), `aibos-pglite-${pkg.version ?? 'unknown'}-pristine.tar.gz`);
  } catch {
    return undefined;
  }
}

/**
 * A fresh cluster, in `dataDir` (a folder) or in memory, and the tarball it was made from: a copy of the
 * pristine cluster kept in the temp folder when there is one (~0.7 s), else initdb (~3 s), whose result
 * is then kept there (gzip, ~5 MB, once per machine and PGlite version) for the next fresh database.
 */
async function freshInstance(dataDir: string | undefined, extensions: readonly string[] | undefined): Promise<{ instance: PgliteInstance; pristine: Blob }> {
  const cache = pristineCachePath();
  if (cache && existsSync(cache)) {
    try {
      const pristine = new Blob([readFileSync(cache)]);
      return { instance: await createInstance({ dataDir, loadDataDir: pristine }, extensions), pristine };
    } catch {
      // A damaged or foreign file: forget it, initdb runs instead.
      rmSync(cache, { force: true });
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const instance = await createInstance({ dataDir }, extensions);
  let pristine: Blob;
  try {
    pristine = await instance.dumpDataDir('gzip');
  } catch (error) {
    await instance.close().catch(() => undefined);
    throw error;
  }
  if (cache && !(extensions ?? Object.keys(CONTRIB)).some((name) => PRELOADED.has(name))) {
    // Write then rename: a concurrent run never reads half a file.
    const partial = `${cache}.${process.pid}.tmp`;
    try {
      writeFileSync(partial, Buffer.from(await pristine.arrayBuffer()));
      renameSync(partial, cache);
    } catch {
      rmSync(partial, { force: true });
    }
  }
  return { instance, pristine };
}

/**
 * Fresh in-memory databases, fast: Postgres' initdb (~2.5 s) runs once per
 * machine — its result is kept (gzip, ~5 MB) in the temp folder — and each
 * call starts from a copy of that pristine cluster (~0.3 s). For verify,
 * which may need several fresh shadows in one run.
 */
export async function pgliteMemoryFactory(options: PgliteOptions = {}): Promise<() => Promise<Database>> {
  let pristine: Blob;
  // The first instance is itself the first fresh database: no need to start a second one for it.
  let first: PgliteInstance | undefined;
  try {
    ({ instance: first, pristine } = await freshInstance(undefined, options.extensions));
  } catch (error) {
    throw new DatabaseError(`Cannot start an in-memory PGlite database: ${(error as Error).message.split('\n')[0]}`);
  }
  return async () => {
    const instance = first ?? (await createInstance({ loadDataDir: pristine }, options.extensions));
    first = undefined;
    return wrap(instance, 'memory', options, undefined);
  };
}

function wrap(pg: PgliteInstance, display: string, options: PgliteOptions, release: (() => void) | undefined): Database {

  // The transaction that the current async call chain runs inside, if any.
  const current = new AsyncLocalStorage<PgliteTx>();
  const runner = (): Runner => current.getStore() ?? pg;
  let savepoints = 0;
  const queryOptions = options.onNotice ? { onNotice: (notice: { message?: string }) => options.onNotice!(String(notice.message ?? '')) } : undefined;

  const session: DbSession = {
    query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      return guard(async () => (await runner().query<T>(sql, params, queryOptions)).rows);
    },
    exec(sql: string): Promise<void> {
      return guard(async () => {
        await runner().exec(sql, queryOptions);
      });
    },
  };

  let closed = false;
  return {
    kind: 'pglite',
    target: display,
    user: 'postgres',
    query: session.query,
    exec: session.exec,
    transaction<T>(fn: (tx: DbSession) => Promise<T>): Promise<T> {
      const outer = current.getStore();
      if (outer) {
        // Nested: one connection, so a savepoint stands in for the second connection a server would use.
        const name = `aibos_sp_${++savepoints}`;
        return guard(async () => {
          await outer.exec(`SAVEPOINT ${name}`);
          try {
            const result = await fn(session);
            await outer.exec(`RELEASE SAVEPOINT ${name}`);
            return result;
          } catch (error) {
            await outer.exec(`ROLLBACK TO SAVEPOINT ${name}`);
            throw error;
          }
        });
      }
      return guard(() => pg.transaction((tx) => current.run(tx, () => fn(session))));
    },
    async reserve(): Promise<ReservedSession> {
      // The one connection is the session; releasing it must not end anything.
      return { ...session, release: async () => {} };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        release?.();
      }
    },
  };
}
