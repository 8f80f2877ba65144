/**
 * The server driver: `Database` over the `postgres` npm package (v3).
 *
 * Connection problems (refused, unknown host, bad password, missing database,
 * TLS refused) become a `DatabaseError` (exit 2) naming host, port and the
 * server's reason — never the password. SQL errors pass through untouched so
 * the runner can map their position into the migration file.
 */
import net from 'node:net';
import postgres from 'postgres';
import { redact } from '../redact.js';
import { DatabaseError, UsageError } from '../errors.js';
import type { Database, DbSession, ReservedSession } from './types.js';

export type SslSetting = boolean | 'require' | 'allow' | 'prefer' | 'verify-full' | Record<string, unknown>;

export interface PostgresOptions {
  /** TLS; overrides `sslmode` in the URL when given. */
  ssl?: SslSetting;
  /** Where `ssl` was set, for messages: `environments.prod.ssl in .aibosrc.json`. */
  sslSource?: string;
  /** Shown in pg_stat_activity (default `aibos`). */
  applicationName?: string;
  /** Called with each server NOTICE/WARNING (default: dropped, so stdout stays clean). */
  onNotice?: (message: string) => void;
}

/** What a URL points at, for messages: never carries the password. */
export interface ServerTarget {
  user: string;
  /** A host name or address, or (starting with `/`) the directory of the server's Unix socket. */
  host: string;
  port: number;
  database: string;
  /** Where the connection goes: `host:port`, or the socket file. */
  address: string;
  /** `postgres://user@host:port/db` (with a socket: `postgres://user@/db?host=DIR&port=PORT`) */
  display: string;
  /** `host` and `port` given as query parameters (libpq's form), which postgres.js does not read itself. */
  fromQuery: { host?: string; port?: number };
}

export function describeUrl(url: string): ServerTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`The database URL is not a valid URL (${redact(url)}) — use postgres://user:password@host:5432/database.`);
  }
  if (!/^postgres(ql)?:$/i.test(parsed.protocol))
    throw new UsageError(`The database URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//…).`);
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || 'postgres';
  // As in libpq, `?host=` and `?port=` override the URL's authority; a host starting with / is a socket directory.
  const fromQuery = { host: parsed.searchParams.get('host') || undefined, port: parsed.searchParams.get('port') || undefined };
  const host = fromQuery.host || decodeURIComponent(parsed.hostname) || process.env.PGHOST || 'localhost';
  const portText = fromQuery.port || parsed.port || process.env.PGPORT || '5432';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new UsageError(`The database URL's port "${portText}" is not a port number (1-65535).`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || process.env.PGDATABASE || user;
  const socket = host.startsWith('/');
  return {
    user,
    host,
    port,
    database,
    address: socket ? `${host.replace(/\/$/, '')}/.s.PGSQL.${port}` : `${host}:${port}`,
    display: socket ? `postgres://${encodeURIComponent(user)}@/${database}?host=${host}&port=${port}` : `postgres://${encodeURIComponent(user)}@${host}:${port}/${database}`,
    fromQuery: { host: fromQuery.host, port: fromQuery.port ? port : undefined },
  };
}


// SQLSTATE classes and driver codes that mean "could not get a usable connection".
const CONNECT_SQLSTATES = /^(08|28|3D000|57P0[1-3]|53300)/;
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EACCES',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'SASL_SIGNATURE_MISMATCH',
  'AUTH_TYPE_NOT_IMPLEMENTED',
  'MESSAGE_NOT_SUPPORTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The server refused the login itself: the role lacks CONNECT on the database (42501, raised only at startup). */
function lacksConnect(error: unknown): boolean {
  const e = error as { code?: unknown; detail?: unknown } | undefined;
  return e?.code === '42501' && typeof e.detail === 'string' && /CONNECT privilege/.test(e.detail);
}

function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECT_CODES.has(code) || CONNECT_SQLSTATES.test(code) || lacksConnect(error)) return true;
  return typeof e.message === 'string' && /does not support SSL|SSL connection/i.test(e.message);
}

function connectionReason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running and accepting TCP connections on that port?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host name';
  if (code === 'ENOENT') return 'no server socket there (is the server running, and is that its socket directory?)';
  if (code === 'CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'timed out while connecting';
  if (code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DESTROYED' || code === 'ECONNRESET') return 'the server closed the connection';
  const message = redact(String(e.message ?? error)).split('\n')[0]!;
  return /^[0-9A-Z]{5}$/.test(code) ? `${message} (SQLSTATE ${code})` : message;
}

/** SSL the connection insists on (not `prefer`, which falls back): where it was asked, and how to ask for less. */
interface SslDemand {
  asked: string;
  instead: string;
}

function sslDemand(parsed: URL, options: PostgresOptions): SslDemand | undefined {
  if (options.ssl !== undefined) {
    if (options.ssl === false || options.ssl === 'prefer') return undefined;
    return { asked: `${options.sslSource ?? 'the ssl option'} is ${JSON.stringify(options.ssl)}`, instead: 'set it to "prefer" or false' };
  }
  // postgres.js reads both `sslmode` and `ssl` from the URL.
  const param = ['sslmode', 'ssl'].find((p) => parsed.searchParams.has(p));
  const mode = param ? parsed.searchParams.get(param)! : '';
  if (!param || ['disable', 'false', 'prefer'].includes(mode)) return undefined;
  return { asked: `the URL says ${param}=${mode}`, instead: `use ${param}=prefer or ${param}=disable there` };
}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Whether the server takes SSL: its one-byte answer to an SSLRequest (`S` or `N`), undefined when it gives
 * none. postgres.js asks too, but starts TLS whatever the answer, so a refusal only shows as a closed connection.
 */
function serverAcceptsSsl(target: ServerTarget): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(target.host.startsWith('/') ? { path: target.address } : { host: target.host, port: target.port });
    const done = (answer: boolean | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(3000, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write(SSL_REQUEST));
    socket.once('data', (data) => done(data[0] === 0x53 ? true : data[0] === 0x4e ? false : undefined));
  });
}

const CLOSED_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE']);

/** Turns driver connection failures into one clear DatabaseError; anything else is rethrown as is. */
async function translate(error: unknown, target: ServerTarget, ssl: SslDemand | undefined): Promise<never> {
  if (!isConnectionError(error)) throw error;
  const at = `Cannot use the database at ${target.address} (database "${target.database}", user "${target.user}")`;
  if (ssl && CLOSED_CODES.has(String((error as { code?: unknown }).code)) && (await serverAcceptsSsl(target)) === false)
    throw new DatabaseError(`${at}: the server does not accept SSL connections, but ${ssl.asked} — ${ssl.instead}, or enable SSL on the server.`);
  if (lacksConnect(error))
    throw new DatabaseError(`${at}: ${connectionReason(error)} — the user has no CONNECT privilege on it: GRANT CONNECT ON DATABASE ${target.database} TO ${target.user}; or connect as a user who has it.`);
  throw new DatabaseError(`${at}: ${connectionReason(error)} — check the URL (--url, DATABASE_URL or the environment's url) and that the server is reachable.`);
}

function withoutParams(url: string, names: string[]): string {
  const u = new URL(url);
  for (const name of names) u.searchParams.delete(name);
  return u.toString();
}

type Sql = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

function session(sql: Sql, fail: (error: unknown) => Promise<never>): DbSession {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      try {
        const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true, simple: false } as never);
        return [...rows] as T[];
      } catch (error) {
        return fail(error);
      }
    },
    async exec(text: string) {
      try {
        await sql.unsafe(text, [], { simple: true } as never);
      } catch (error) {
        return fail(error);
      }
    },
  };
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const target = describeUrl(url);
  // postgres.js would send the query's host and port to the server as settings (which it refuses): pass them as options.
  const { host, port } = target.fromQuery;
  let sql: postgres.Sql;
  try {
    sql = postgres(host || port ? withoutParams(url, ['host', 'port']) : url, {
      ...(host ? { host } : {}),
      ...(port ? { port } : {}),
      max: 4,
      // One round trip less per connection: aibos declares no custom array types.
      fetch_types: false,
      idle_timeout: 30,
      connect_timeout: Number(new URL(url).searchParams.get('connect_timeout') ?? 15),
      onnotice: (notice) => options.onNotice?.(String(notice.message ?? '')),
      connection: { application_name: options.applicationName ?? 'aibos' },
      ...(options.ssl !== undefined ? { ssl: options.ssl as never } : {}),
    });
  } catch (error) {
    throw new UsageError(`Cannot use the database URL ${target.display}: ${redact((error as Error).message)}.`);
  }
  const ssl = sslDemand(new URL(url), options);
  const fail = (error: unknown) => translate(error, target, ssl);
  const pooled = session(sql, fail);
  // The first connection, opened through the pool (see reserve); `execute()` sends it now rather than when
  // awaited. A failed attempt is forgotten, so the next reserve() tries again.
  let warming: Promise<unknown> | undefined;
  // Resolves once postgres.js has opened the socket (see preconnect); made once, so a second call waits for nothing.
  let underWay: Promise<void> | undefined;
  const warm = () =>
    (warming ??= sql
      .unsafe('SELECT 1')
      .execute()
      .catch((error: unknown) => {
        warming = undefined;
        throw error;
      }));
  return {
    kind: 'postgres',
    target: target.display,
    user: target.user,
    query: pooled.query,
    exec: pooled.exec,
    async transaction<T>(fn: (tx: DbSession) => Promise<T>): Promise<T> {
      try {
        return (await sql.begin((tx) => fn(session(tx, fail)))) as T;
      } catch (error) {
        return fail(error);
      }
    },
    preconnect() {
      // Its failure is reported by the reserve() that waits for it.
      warm().catch(() => undefined);
      // postgres.js opens the socket from a timer it sets once the query is handed over (a microtask later):
      // resolve from a timer set after it, or the caller's synchronous work (hashing the files) would run
      // first and delay the connection instead of overlapping it.
      return (underWay ??= new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0))));
    },
    async reserve(): Promise<ReservedSession> {
      let reserved: postgres.ReservedSql;
      try {
        // postgres.js 3.4 never hands out a reserved connection that it had to open for
        // the reservation itself when fetch_types is off: open one through the pool first.
        await warm();
        reserved = await sql.reserve();
      } catch (error) {
        return fail(error);
      }
      return {
        ...session(reserved, fail),
        async release() {
          reserved.release();
        },
      };
    },
    async close(options) {
      const ended = sql.end({ timeout: 5 });
      // sql.end() writes Terminate at once; the rest is the server closing its side.
      await (options?.lastThing ? Promise.race([ended, new Promise<void>((resolve) => setImmediate(resolve))]) : ended);
    },
  };
}
