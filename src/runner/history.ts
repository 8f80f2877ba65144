/**
 * The history table (what is applied) and the audit table (what happened, append-only).
 * Both are created on first use, under the migration lock.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { DbSession } from '../db/types.js';
import type { ExecutionMode } from './mode.js';
import { quoteIdent } from '../sql/ident.js';

export interface HistoryNames {
  schema: string;
  table: string;
  eventsTable: string;
  /** Quoted, schema-qualified: `"aibos"."schema_migrations"`. */
  history: string;
  events: string;
  quotedSchema: string;
  /** Unquoted, for messages. */
  label: string;
}

export { quoteIdent };

export function historyNames(config: Pick<ResolvedConfig, 'history'>): HistoryNames {
  const { schema, table, eventsTable } = config.history;
  return {
    schema,
    table,
    eventsTable,
    quotedSchema: quoteIdent(schema),
    history: `${quoteIdent(schema)}.${quoteIdent(table)}`,
    events: `${quoteIdent(schema)}.${quoteIdent(eventsTable)}`,
    label: `${schema}.${table}`,
  };
}

/** `applied`; `running` while (or when a crash stopped) a non-transactional migration; `failed` when one failed part-way. */
export type HistoryStatus = 'applied' | 'running' | 'failed';

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  downChecksum: string | null;
  appliedAt: Date;
  appliedBy: string;
  author: string | null;
  reason: string | null;
  durationMs: number | null;
  executionMode: ExecutionMode;
  status: HistoryStatus;
  detail: string | null;
}

/**
 * A history row as `up` and `down` plan with it (`readHistory(…, 'plan')`): when, how and what went wrong
 * are read only for a row that did not apply, the one kind the plan describes.
 */
export type PlanRow = Pick<AppliedMigration, 'version' | 'name' | 'checksum'> &
  ({ status: 'applied' } | { status: Exclude<HistoryStatus, 'applied'>; appliedAt: Date; executionMode: ExecutionMode; detail: string | null });

export type AuditEvent = 'up' | 'down' | 'failure';

export interface AuditRow {
  id: number;
  event: string;
  version: number | null;
  name: string | null;
  checksum: string | null;
  env: string | null;
  actor: string;
  author: string | null;
  reason: string | null;
  detail: unknown;
  createdAt: Date;
}

function historyTableSql(n: HistoryNames): string {
  return `CREATE TABLE IF NOT EXISTS ${n.history} (
  version        bigint PRIMARY KEY,
  name           text NOT NULL,
  checksum       text NOT NULL,
  down_checksum  text,
  applied_at     timestamptz NOT NULL DEFAULT now(),
  applied_by     text NOT NULL,
  author         text,
  reason         text,
  duration_ms    integer,
  execution_mode text NOT NULL CHECK (execution_mode IN ('transaction', 'no-transaction')),
  status         text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'running', 'failed')),
  detail         text
)`;
}

/**
 * The audit trail. Extension point: approvals and append-only enforcement
 * (revoking UPDATE/DELETE, a trigger) belong here so every path that creates
 * the tables gets them.
 */
export function auditTableSql(n: HistoryNames): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${n.events} (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event      text NOT NULL,
  version    bigint,
  name       text,
  checksum   text,
  env        text,
  actor      text NOT NULL,
  author     text,
  reason     text,
  detail     jsonb,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
)`,
  ];
}

/** Creates the schema, history and audit tables in one transaction. Call only while holding the migration lock. */
export async function ensureHistoryTables(session: DbSession, n: HistoryNames): Promise<void> {
  const statements = [`CREATE SCHEMA IF NOT EXISTS ${n.quotedSchema}`, historyTableSql(n), ...auditTableSql(n)];
  // One simple-protocol message: Postgres runs it as one implicit transaction.
  await session.exec(`${statements.join(';\n')};`);
}

function isMissingRelation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '42P01' || code === '3F000';
}

interface HistoryRow {
  version: string;
  name: string;
  checksum: string;
  down_checksum: string | null;
  applied_at: Date | string;
  applied_by: string;
  author: string | null;
  reason: string | null;
  duration_ms: number | null;
  execution_mode: ExecutionMode;
  status: HistoryStatus;
  detail: string | null;
}

const asDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

/** The plan's columns: the others are NULL on an applied row (each column decoded costs; ~4 ms on 500 rows). */
const PLAN_COLUMNS = `version::text AS version, name, checksum, status,
         CASE WHEN status <> 'applied' THEN applied_at END AS applied_at,
         CASE WHEN status <> 'applied' THEN execution_mode END AS execution_mode,
         CASE WHEN status <> 'applied' THEN detail END AS detail`;

/**
 * Applied migrations by version, or `undefined` when the history table does not exist yet. `plan`: only what
 * `up` and `down` decide with (PlanRow), which is every run, including the no-op `up` of each deploy.
 */
export function readHistory(session: DbSession, n: HistoryNames): Promise<AppliedMigration[] | undefined>;
export function readHistory(session: DbSession, n: HistoryNames, plan: 'plan'): Promise<PlanRow[] | undefined>;
export async function readHistory(session: DbSession, n: HistoryNames, plan?: 'plan'): Promise<AppliedMigration[] | PlanRow[] | undefined> {
  let rows: HistoryRow[];
  try {
    rows = await session.query<HistoryRow>(
      `SELECT ${plan ? PLAN_COLUMNS : 'version::text AS version, name, checksum, down_checksum, applied_at, applied_by, author, reason, duration_ms, execution_mode, status, detail'}
         FROM ${n.history} AS h ORDER BY h.version`,
    );
  } catch (error) {
    if (isMissingRelation(error)) return undefined;
    throw error;
  }
  if (plan)
    return rows.map((r): PlanRow => ({
      version: Number(r.version),
      name: r.name,
      checksum: r.checksum,
      ...(r.status === 'applied' ? { status: r.status } : { status: r.status, appliedAt: asDate(r.applied_at), executionMode: r.execution_mode, detail: r.detail }),
    }));
  return rows.map((r) => ({
    version: Number(r.version),
    name: r.name,
    checksum: r.checksum,
    downChecksum: r.down_checksum,
    appliedAt: asDate(r.applied_at),
    appliedBy: r.applied_by,
    author: r.author,
    reason: r.reason,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    executionMode: r.execution_mode,
    status: r.status,
    detail: r.detail,
  }));
}

/** The audit trail, newest first; `undefined` when it does not exist yet. */
export async function readEvents(session: DbSession, n: HistoryNames, limit?: number): Promise<AuditRow[] | undefined> {
  let rows: Record<string, unknown>[];
  try {
    rows = await session.query(
      `SELECT id::text AS id, event, version::text AS version, name, checksum, env, actor, author, reason, detail, created_at
         FROM ${n.events} e ORDER BY e.id DESC${limit ? ` LIMIT ${Math.floor(limit)}` : ''}`,
    );
  } catch (error) {
    if (isMissingRelation(error)) return undefined;
    throw error;
  }
  return rows.map((r) => ({
    id: Number(r.id),
    event: String(r.event),
    version: r.version === null ? null : Number(r.version),
    name: (r.name as string | null) ?? null,
    checksum: (r.checksum as string | null) ?? null,
    env: (r.env as string | null) ?? null,
    actor: String(r.actor),
    author: (r.author as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    detail: typeof r.detail === 'string' ? safeJson(r.detail) : (r.detail ?? null),
    createdAt: asDate(r.created_at as Date | string),
  }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `current_user (os: alice)`: who ran it, on both sides of the connection. SQL expression over parameter `$osParam`. */
export function actorSql(osParam: string): string {
  return `current_user || ' (os: ' || ${osParam} || ')'`;
}

export interface RecordUp {
  version: number;
  name: string;
  checksum: string;
  downChecksum: string | null;
  author: string | null;
  reason: string | null;
  mode: ExecutionMode;
  env: string;
  osUser: string;
}

/**
 * One statement: the history row and its audit row. Inside a migration's
 * transaction it commits with the migration; `duration_ms` is measured by the
 * server from the transaction's start, so it can be pipelined behind the migration.
 */
export function recordUpSql(n: HistoryNames): string {
  return `WITH h AS (
  INSERT INTO ${n.history} (version, name, checksum, down_checksum, applied_by, author, reason, duration_ms, execution_mode, status)
  VALUES ($1::bigint, $2, $3, $4, ${actorSql('$9')}, $5, $6, (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer, $7, 'applied')
  RETURNING version, duration_ms
)
INSERT INTO ${n.events} (event, version, name, checksum, env, actor, author, reason, detail)
SELECT 'up', h.version, $2, $3, $8, ${actorSql('$9')}, $5, $6, jsonb_build_object('executionMode', $7::text, 'durationMs', h.duration_ms) FROM h`;
}

export function recordUpParams(r: RecordUp): unknown[] {
  return [r.version, r.name, r.checksum, r.downChecksum, r.author, r.reason, r.mode, r.env, r.osUser];
}

/** Non-transactional runs: a `running` row first (committed), so a crash part-way is visible afterwards. */
export async function markRunning(session: DbSession, n: HistoryNames, r: RecordUp): Promise<void> {
  await session.query(
    `INSERT INTO ${n.history} (version, name, checksum, down_checksum, applied_by, author, reason, execution_mode, status)
     VALUES ($1::bigint, $2, $3, $4, ${actorSql('$8')}, $5, $6, $7, 'running')
     ON CONFLICT (version) DO UPDATE SET status = 'running', applied_at = now(), applied_by = EXCLUDED.applied_by, detail = NULL`,
    [r.version, r.name, r.checksum, r.downChecksum, r.author, r.reason, r.mode, r.osUser],
  );
}

/** Non-transactional success: status, duration and the audit row in one statement. */
export async function markApplied(session: DbSession, n: HistoryNames, r: RecordUp, durationMs: number): Promise<void> {
  await session.query(
    `WITH h AS (UPDATE ${n.history} SET status = 'applied', duration_ms = $4, applied_at = now() WHERE version = $1::bigint RETURNING version)
     INSERT INTO ${n.events} (event, version, name, checksum, env, actor, author, reason, detail)
     SELECT 'up', h.version, $2, $3, $5, ${actorSql('$6')}, $7, $8, jsonb_build_object('executionMode', 'no-transaction', 'durationMs', $4::integer) FROM h`,
    [r.version, r.name, r.checksum, durationMs, r.env, r.osUser, r.author, r.reason],
  );
}

export async function markFailed(session: DbSession, n: HistoryNames, version: number, detail: string): Promise<void> {
  await session.query(`UPDATE ${n.history} SET status = 'failed', detail = $2 WHERE version = $1::bigint`, [version, detail]);
}

export async function forgetVersion(session: DbSession, n: HistoryNames, version: number): Promise<void> {
  await session.query(`DELETE FROM ${n.history} WHERE version = $1::bigint`, [version]);
}

export interface EventInput {
  event: AuditEvent;
  version: number;
  name: string;
  checksum: string | null;
  env: string;
  osUser: string;
  author: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

/** An audit row on its own (failures: written after the rollback, in their own transaction). */
export async function recordEvent(session: DbSession, n: HistoryNames, e: EventInput): Promise<void> {
  await session.query(
    `INSERT INTO ${n.events} (event, version, name, checksum, env, actor, author, reason, detail)
     VALUES ($1, $2::bigint, $3, $4, $5, ${actorSql('$6')}, $7, $8, $9::text::jsonb)`,
    [e.event, e.version, e.name, e.checksum, e.env, e.osUser, e.author, e.reason, JSON.stringify(e.detail)],
  );
}

/** Reverting: the history row goes, an audit row stays. One statement, so it commits with the down migration. */
export function recordDownSql(n: HistoryNames): string {
  return `WITH h AS (DELETE FROM ${n.history} WHERE version = $1::bigint RETURNING version, name, checksum, author, reason)
INSERT INTO ${n.events} (event, version, name, checksum, env, actor, author, reason, detail)
SELECT 'down', h.version, h.name, h.checksum, $2, ${actorSql('$3')}, h.author, h.reason,
       jsonb_build_object('downFile', $4::text, 'downChecksum', $5::text, 'executionMode', $6::text, 'durationMs', (extract(epoch FROM clock_timestamp() - now()) * 1000)::integer) FROM h`;
}
