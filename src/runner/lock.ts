/**
 * The migration lock: one session-level advisory lock per history table, taken
 * before anything else. Waiting polls `pg_try_advisory_lock` with short
 * statements; a blocking `pg_advisory_lock` would sit in an open statement and
 * deadlock with CREATE INDEX CONCURRENTLY run by the holder (it waits for every
 * older snapshot, including the waiter's).
 */
import { createHash } from 'node:crypto';
import { LockTimeoutError } from '../errors.js';
import type { DbSession } from '../db/types.js';

export interface MigrationLock {
  /** The signed 64-bit key, as text (postgres bigint). */
  key: string;
  /** pg_locks stores a bigint key as classid (high 32 bits) and objid (low 32 bits), objsubid 1. */
  classid: string;
  objid: string;
  /** What it protects, for messages: `aibos.schema_migrations`. */
  label: string;
}

export function migrationLock(schema: string, table: string): MigrationLock {
  const digest = createHash('sha256').update(`aibos:migration-lock:${schema}.${table}`).digest();
  const unsigned = digest.readBigUInt64BE(0);
  return {
    key: BigInt.asIntN(64, unsigned).toString(),
    classid: (unsigned >> 32n).toString(),
    objid: (unsigned & 0xffffffffn).toString(),
    label: `${schema}.${table}`,
  };
}

export interface LockHolder {
  pid: number;
  applicationName?: string;
  clientAddr?: string;
  user?: string;
  since?: Date;
  state?: string;
}

export async function lockHolder(session: DbSession, lock: MigrationLock): Promise<LockHolder | undefined> {
  const rows = await session.query<{ pid: number; application_name: string | null; client_addr: string | null; usename: string | null; backend_start: Date | null; state: string | null }>(
    `SELECT l.pid, a.application_name, a.client_addr::text AS client_addr, a.usename::text AS usename, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid::text = $1 AND l.objid::text = $2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      LIMIT 1`,
    [lock.classid, lock.objid],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    pid: Number(row.pid),
    applicationName: row.application_name ?? undefined,
    clientAddr: row.client_addr ?? undefined,
    user: row.usename ?? undefined,
    since: row.backend_start ?? undefined,
    state: row.state ?? undefined,
  };
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'a session that has just released it';
  const parts = [`pid ${holder.pid}`];
  if (holder.applicationName) parts.push(`application "${holder.applicationName}"`);
  if (holder.user) parts.push(`user ${holder.user}`);
  if (holder.clientAddr) parts.push(`from ${holder.clientAddr}`);
  if (holder.since) parts.push(`connected since ${holder.since.toISOString()}`);
  return parts.join(', ');
}

export interface AcquireOptions {
  /** How long to keep polling, in seconds. */
  waitSeconds: number;
  /** Called once when the lock is busy, with who holds it. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** The first attempt, when the caller already sent it (tryLock) to share a round trip with other queries. */
  firstTry?: Promise<boolean>;
}

/** One attempt at the lock, without waiting for it to be free (the key inline: see quoteLiteral). */
export async function tryLock(session: DbSession, lock: MigrationLock): Promise<boolean> {
  const [row] = await session.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock('${lock.key}'::bigint) AS locked`);
  return Boolean(row?.locked);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock on `session` (a reserved connection), or throws LockTimeoutError naming the holder's pid.
 * Resolves true when the first attempt took it (queries sent right after that attempt ran under the lock).
 */
export async function acquireLock(session: DbSession, lock: MigrationLock, options: AcquireOptions): Promise<boolean> {
  const started = Date.now();
  const deadline = started + Math.max(0, options.waitSeconds) * 1000;
  let delay = 50;
  let told = false;
  let attempt = options.firstTry ?? tryLock(session, lock);
  for (let first = true; ; first = false) {
    if (await attempt) return first;
    const now = Date.now();
    if (now >= deadline) {
      const holder = await lockHolder(session, lock);
      throw new LockTimeoutError(
        `Another migration run holds the lock on ${lock.label} (${describeHolder(holder)}); gave up after ${Math.round((now - started) / 1000)} s — let it finish and run again, raise --lock-timeout, or if that session is stuck end it with SELECT pg_terminate_backend(${holder?.pid ?? 'pid'}).`,
      );
    }
    if (!told && options.onWait) {
      told = true;
      options.onWait(await lockHolder(session, lock));
    }
    await sleep(Math.min(delay, deadline - now));
    delay = Math.min(Math.round(delay * 1.5), 500);
    attempt = tryLock(session, lock);
  }
}

export async function releaseLock(session: DbSession, lock: MigrationLock): Promise<void> {
  await session.query(`SELECT pg_advisory_unlock('${lock.key}'::bigint)`);
}
