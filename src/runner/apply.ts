/**
 * Applying one migration (up or down) on the session that holds the lock.
 *
 * Transactional: BEGIN, SET LOCAL timeouts, each statement, the history and
 * audit row, COMMIT — pipelined, so a migration costs about one round trip. If
 * any statement fails the server turns the COMMIT into a ROLLBACK, so nothing
 * of the migration and no history row remain; the failure's audit row is then
 * written in its own transaction.
 *
 * Non-transactional: a `running` history row first, then each statement on its
 * own, then the row becomes `applied` with its audit row. A crash part-way
 * leaves the `running` row, which the next plan reports as `failed`.
 */
import type { DbSession } from '../db/types.js';
import type { MigrationFile } from '../migrations/files.js';
import type { Statement } from '../sql/parse.js';
import {
  forgetVersion,
  markApplied,
  markFailed,
  markRunning,
  quoteIdent,
  recordDownSql,
  recordEvent,
  recordUpParams,
  recordUpSql,
  type HistoryNames,
  type RecordUp,
} from './history.js';
import { bookkeeping, bookkeepingError, type BookkeepingScope } from './bookkeeping.js';
import { describeFailure, isSqlError, MigrationFailedError, serverErrorInfo, type StatementFailure } from './failure.js';
import { executionMode, type ExecutionMode } from './mode.js';
import { versionOf } from './plan.js';

export interface Timeouts {
  lockTimeout?: string;
  statementTimeout?: string;
}

export interface ApplyContext {
  session: DbSession;
  /** Names the database and history tables when aibos's own bookkeeping is refused. */
  scope: BookkeepingScope;
  /**
   * Commit without waiting for the WAL flush. Used for every migration of a run but the last:
   * each commit stays atomic (migration and history row together), and the last, synchronous
   * commit flushes the WAL of all before it, so a finished run is durable as a whole.
   */
  asyncCommit?: boolean;
  names: HistoryNames;
  env: string;
  osUser: string;
  timeouts: Timeouts;
}

export interface Applied {
  file: MigrationFile;
  version: number;
  mode: ExecutionMode;
  durationMs: number;
}


/** `5s`, `1min` or a number of milliseconds, as a quoted setting value. */
export function timeoutValue(value: number | string | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'number' ? `${Math.max(0, Math.round(value))}ms` : String(value);
}

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

function settings(t: Timeouts, scope: 'LOCAL' | 'SESSION'): string[] {
  const out: string[] = [];
  if (t.lockTimeout) out.push(`SET ${scope} lock_timeout = ${literal(t.lockTimeout)}`);
  if (t.statementTimeout) out.push(`SET ${scope} statement_timeout = ${literal(t.statementTimeout)}`);
  return out;
}

function upRecord(ctx: ApplyContext, file: MigrationFile, mode: ExecutionMode): RecordUp {
  return {
    version: versionOf(file),
    name: file.name,
    checksum: file.checksum,
    downChecksum: file.pair?.checksum ?? null,
    author: file.parsed.header.author ?? null,
    reason: file.parsed.header.reason ?? null,
    mode,
    env: ctx.env,
    osUser: ctx.osUser,
  };
}

interface Outcome {
  /** Index in `steps` of the first failure, or -1. */
  failedAt: number;
  error?: unknown;
}

/** Sends every step without waiting for the previous one; returns the first failure. */
async function pipeline(steps: (() => Promise<unknown>)[]): Promise<Outcome> {
  const results = await Promise.allSettled(steps.map((step) => step()));
  const failedAt = results.findIndex((r) => r.status === 'rejected');
  return failedAt < 0 ? { failedAt } : { failedAt, error: (results[failedAt] as PromiseRejectedResult).reason };
}

/** Writes the failure's audit row. If that is refused too, the migration's own error still is the one reported, with a note. */
async function recordFailure(ctx: ApplyContext, file: MigrationFile, direction: 'up' | 'down', error: unknown, mode: ExecutionMode, failure: StatementFailure): Promise<void> {
  const info = serverErrorInfo(error);
  try {
    await recordEvent(ctx.session, ctx.names, {
      event: 'failure',
      version: failure.version,
      name: file.name,
      checksum: file.checksum,
      env: ctx.env,
      osUser: ctx.osUser,
      author: file.parsed.header.author ?? null,
      reason: file.parsed.header.reason ?? null,
      detail: { direction, executionMode: mode, file: file.relPath, line: failure.line, column: failure.column, code: info.code ?? null, message: info.message, detail: info.detail ?? null },
    });
  } catch (refused) {
    if (!isSqlError(refused)) throw refused;
    const r = serverErrorInfo(refused);
    failure.outcome += ` (The audit trail did not record this failure: ${r.message}, SQLSTATE ${r.code}.)`;
  }
}

/**
 * Runs `file`'s statements in one transaction, with `finish` (the history
 * change) pipelined before COMMIT.
 */
async function runInTransaction(ctx: ApplyContext, file: MigrationFile, version: number, direction: 'up' | 'down', finish: () => Promise<unknown>): Promise<void> {
  const statements = file.parsed.statements;
  const steps: (() => Promise<unknown>)[] = [
    () => ctx.session.exec(['BEGIN', ...settings(ctx.timeouts, 'LOCAL'), ...(ctx.asyncCommit ? ['SET LOCAL synchronous_commit = off'] : [])].join('; ')),
    ...statements.map((s) => () => ctx.session.exec(s.text)),
    finish,
    () => ctx.session.exec('COMMIT'),
  ];
  const outcome = await pipeline(steps);
  if (outcome.failedAt < 0) return;
  // Make sure the transaction is over whatever failed (a no-op warning when COMMIT already rolled back).
  await ctx.session.exec('ROLLBACK').catch(() => undefined);
  if (!isSqlError(outcome.error)) throw outcome.error;
  if (outcome.failedAt === statements.length + 1)
    throw bookkeepingError(outcome.error, ctx.scope, `record ${file.name} in the migration history`, `it was rolled back: nothing of ${file.name} was applied`);
  const statement: Statement | undefined = outcome.failedAt >= 1 && outcome.failedAt <= statements.length ? statements[outcome.failedAt - 1] : undefined;
  const stage =
    outcome.failedAt === 0
      ? ' (while starting the transaction: check lockTimeout / statementTimeout in the config)'
      : outcome.failedAt === statements.length + 2
        ? ' (at COMMIT: a deferred constraint or trigger)'
        : '';
  const failure = describeFailure(outcome.error, file, version, statement, `rolled back${stage}: nothing of ${file.name} was applied.`);
  await recordFailure(ctx, file, direction, outcome.error, 'transaction', failure);
  throw new MigrationFailedError(failure, direction);
}

/** Did a failed CREATE INDEX CONCURRENTLY leave an (invalid) index behind? */
async function leftIndexBehind(ctx: ApplyContext, statement: Statement, error: unknown): Promise<boolean> {
  if (statement.kind === 'ReindexStmt') return true;
  if (statement.kind !== 'IndexStmt') return false;
  // The name was taken before this run: the index found is not ours.
  if (serverErrorInfo(error).code === '42P07') return false;
  if (!statement.node?.idxname) return true;
  const schema = statement.node.relation?.schemaname as string | undefined;
  const name = `${schema ? `${quoteIdent(schema)}.` : ''}${quoteIdent(String(statement.node.idxname))}`;
  const [row] = await ctx.session.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  return Boolean(row?.present);
}

/** Runs statements one by one outside a transaction; returns how far it got on failure. */
async function runEachStatement(ctx: ApplyContext, file: MigrationFile): Promise<{ error?: unknown; statement?: Statement }> {
  const session = ctx.session;
  const set = settings(ctx.timeouts, 'SESSION');
  if (set.length) await session.exec(set.join('; '));
  try {
    for (const statement of file.parsed.statements) {
      try {
        await session.exec(statement.text);
      } catch (error) {
        return { error, statement };
      }
    }
    return {};
  } finally {
    if (set.length) await session.exec('RESET lock_timeout; RESET statement_timeout').catch(() => undefined);
  }
}

async function nonTransactionalFailure(
  ctx: ApplyContext,
  file: MigrationFile,
  version: number,
  direction: 'up' | 'down',
  error: unknown,
  statement: Statement,
): Promise<never> {
  if (!isSqlError(error)) throw error;
  const first = statement.index === 0;
  const clean = first && !(await leftIndexBehind(ctx, statement, error).catch(() => true));
  let outcome: string;
  if (clean) {
    outcome = `nothing of ${file.name} was applied (it ran outside a transaction and failed at its first statement, before changing anything).`;
    if (direction === 'up') await forgetVersion(ctx.session, ctx.names, version);
  } else {
    outcome = `${file.name} ran outside a transaction and stopped part-way: statements before this one stay applied${statement.kind === 'IndexStmt' || statement.kind === 'ReindexStmt' ? ', and an INVALID index may remain (DROP INDEX CONCURRENTLY it)' : ''}; the history marks version ${version} as failed.`;
    await markFailed(ctx.session, ctx.names, version, `${direction} stopped at line ${statement.span.line}: ${serverErrorInfo(error).message}`);
  }
  const failure = describeFailure(error, file, version, statement, outcome);
  await recordFailure(ctx, file, direction, error, 'no-transaction', failure);
  throw new MigrationFailedError(failure, direction);
}

export async function applyUp(ctx: ApplyContext, file: MigrationFile): Promise<Applied> {
  const { mode } = executionMode(file);
  const version = versionOf(file);
  const record = upRecord(ctx, file, mode);
  const started = performance.now();
  if (mode === 'transaction') {
    await runInTransaction(ctx, file, version, 'up', () => ctx.session.query(recordUpSql(ctx.names), recordUpParams(record)));
  } else {
    await markRunning(ctx.session, ctx.names, record);
    const { error, statement } = await runEachStatement(ctx, file);
    if (statement) await nonTransactionalFailure(ctx, file, version, 'up', error, statement);
    const durationMs = Math.round(performance.now() - started);
    await bookkeeping(
      ctx.scope,
      `record ${file.name} in the migration history`,
      () => markApplied(ctx.session, ctx.names, record, durationMs),
      `${file.name} ran (outside a transaction), but the history still marks version ${version} as running`,
    );
  }
  return { file, version, mode, durationMs: Math.round(performance.now() - started) };
}

/** Runs `down` (the paired down file of `version`) and removes the history row, with a 'down' audit row. */
export async function applyDown(ctx: ApplyContext, version: number, down: MigrationFile): Promise<Applied> {
  const { mode } = executionMode(down);
  const started = performance.now();
  const params = [version, ctx.env, ctx.osUser, down.name, down.checksum, mode];
  if (mode === 'transaction') {
    await runInTransaction(ctx, down, version, 'down', () => ctx.session.query(recordDownSql(ctx.names), params));
  } else {
    const { error, statement } = await runEachStatement(ctx, down);
    if (statement) await nonTransactionalFailure(ctx, down, version, 'down', error, statement);
    await bookkeeping(
      ctx.scope,
      `record ${down.name} in the migration history`,
      () => ctx.session.query(recordDownSql(ctx.names), params),
      `${down.name} ran (outside a transaction), but the history still lists version ${version} as applied`,
    );
  }
  return { file: down, version, mode, durationMs: Math.round(performance.now() - started) };
}
