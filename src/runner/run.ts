/**
 * The commands' logic, driver-agnostic (only the `Database` interface): up,
 * down, status and history. The CLI renders what these return.
 */
import os from 'node:os';
import type { ResolvedConfig } from '../config/types.js';
import type { Database, DbSession, ReservedSession } from '../db/types.js';
import { MigrationError } from '../errors.js';
import { toRelPath, type MigrationFile, type MigrationSet } from '../migrations/files.js';
import type { LintResult } from '../lint/types.js';
import { applyDown, applyUp, timeoutValue, type Applied, type ApplyContext } from './apply.js';
import { bookkeeping } from './bookkeeping.js';
import { ensureHistoryTables, historyNames, readEvents, readHistory, type AppliedMigration, type AuditRow, type HistoryNames, type PlanRow } from './history.js';
import { lintPending } from './lint-gate.js';
import { initParser } from '../sql/parse.js';
import { warmUpParser } from '../sql/pg-wasm.js';
// guard (issue 8): approvals table + append-only audit, and the guardrails gate.
import { ensureApprovals, probeApprovals } from './approvals.js';
import { enforceGuardrails } from './guardrails.js';
import { classifyMigration } from './classify.js';
import { acquireLock, migrationLock, releaseLock, tryLock, type LockHolder } from './lock.js';
import { executionMode, transactionControl, type ExecutionMode } from './mode.js';
import { buildPlan, planDown, versionOf, type Plan, type PlanInput, type PlanProblem } from './plan.js';

/** What the runner tells the user while it works (the CLI draws spinners or lines). */
export interface Progress {
  waitingForLock?(holder: LockHolder | undefined, label: string): void;
  start?(file: MigrationFile, mode: ExecutionMode, direction: 'up' | 'down'): void;
  done?(step: Applied, direction: 'up' | 'down'): void;
  failed?(file: MigrationFile, direction: 'up' | 'down'): void;
}

export interface RunnerContext {
  config: ResolvedConfig;
  db: Database;
  set: MigrationSet;
  env: string;
  cwd?: string;
  progress?: Progress;
}

/** The plan was refused: drift, a missing file, out-of-order, a failed run (exit 1). */
export class PlanRefusedError extends MigrationError {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[], direction: 'up' | 'down' = 'up') {
    super(`Nothing was ${direction === 'up' ? 'applied' : 'reverted'}: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`} with the migration history —\n${problems.map((p) => `  ${p.kind}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Pending files have failing lint findings (exit 1). */
export class LintRefusedError extends MigrationError {
  readonly lint: LintResult;
  constructor(lint: LintResult) {
    const files = [...new Set(lint.diagnostics.map((d) => d.file))];
    super(`Nothing was applied: lint found ${lint.diagnostics.length} failing finding${lint.diagnostics.length === 1 ? '' : 's'} in ${files.join(', ')} — fix them (aibos lint shows the same), then run again.`);
    this.lint = lint;
  }
}

let user: string | undefined;

/** Who runs aibos, by the operating system's account (looked up once, on first use: ~4 ms of a passwd lookup). */
export function osUser(): string {
  if (user !== undefined) return user;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return user;
}

/**
 * Whether the i-th of n migrations may commit without waiting for its WAL flush (ApplyContext.asyncCommit):
 * never the last, and never on the embedded database, which runs inside this process: a Ctrl-C or a crash
 * there is a crash of the database too, and would take back migrations already reported as applied.
 */
const asyncCommit = (ctx: RunnerContext, i: number, n: number): boolean => ctx.db.kind === 'postgres' && i < n - 1;

/** The plan of the migration files against the history rows `applied`. */
function planOf(ctx: RunnerContext, applied: PlanRow[], options: Pick<PlanInput, 'allowOutOfOrder' | 'to'> = {}): Plan {
  return buildPlan({ ups: ctx.set.ups, applied, migrationsDir: toRelPath(ctx.config.migrationsPath, ctx.cwd) || '.', ranges: ctx.config.schemas, ...options });
}

/** Files the runner cannot version or run, named before anything happens. */
function checkRunnable(files: MigrationFile[], direction: 'up' | 'down'): void {
  const bad: string[] = [];
  for (const file of files) {
    if (versionOf(file) < 0) bad.push(`${file.relPath}: no version number in its name — name it like 101_finance_create_accounts.sql.`);
    else if (file.parsed.syntaxError) {
      const s = file.parsed.syntaxError.span;
      bad.push(`${file.relPath}:${s.line}:${s.column}: does not parse: ${file.parsed.syntaxError.message}`);
    } else {
      const tx = transactionControl(file);
      if (tx) bad.push(`${file.relPath}:${tx.span.line}:${tx.span.column}: ${tx.text.split(/\s/)[0]!.toUpperCase()} — aibos runs each migration in its own transaction; remove BEGIN/COMMIT (use -- aibos:no-transaction for statements that cannot run in one).`);
    }
  }
  if (bad.length) throw new MigrationError(`Nothing was ${direction === 'up' ? 'applied' : 'reverted'}:\n${bad.map((b) => `  ${b}`).join('\n')}`);
}

function applyContext(ctx: RunnerContext, session: DbSession, names: HistoryNames): ApplyContext {
  return {
    session,
    scope: ctx,
    names,
    env: ctx.env,
    // Asked for only when a migration runs: a no-op `up` never looks the user up.
    get osUser() {
      return osUser();
    },
    timeouts: { lockTimeout: timeoutValue(ctx.config.lockTimeout), statementTimeout: timeoutValue(ctx.config.statementTimeout) },
  };
}

/** The applied migrations, or `undefined` before the history table exists. */
function readHistoryOf(ctx: RunnerContext): Promise<AppliedMigration[] | undefined> {
  const names = historyNames(ctx.config);
  return bookkeeping(ctx, `read the migration history (${names.label})`, () => readHistory(ctx.db, names));
}

/** What up and down plan with (PlanRow), or `undefined` before the history table exists; `sent`: the read, when already sent. */
function readPlanRows(ctx: RunnerContext, session: DbSession = ctx.db, sent?: Promise<PlanRow[] | undefined>): Promise<PlanRow[] | undefined> {
  const names = historyNames(ctx.config);
  return bookkeeping(ctx, `read the migration history (${names.label})`, () => sent ?? readHistory(session, names, 'plan'));
}

/**
 * Runs `work` once the queries issued so far are on their way: postgres.js writes them from a setImmediate,
 * which runs before one set after it; the second turn leaves room for one queued by an answer in between.
 */
function afterQueuedWrites(work: () => void): void {
  setImmediate(() => setImmediate(work));
}

/** Longest stretch of hashing between two turns of the event loop, in ms. */
const HASH_SLICE_MS = 2;

/**
 * Reads and hashes the files in slices of ~2 ms, giving the event loop a turn between them: the connection's
 * start-up and the first queries, answered meanwhile, go on instead of waiting for all of it (a no-op `up` of
 * 500 hashed for ~30 ms while the server had its answers ready).
 */
async function checksumsInSlices(files: readonly MigrationFile[]): Promise<void> {
  let i = 0;
  while (i < files.length) {
    const until = performance.now() + HASH_SLICE_MS;
    do void files[i++]!.checksum;
    while (i < files.length && performance.now() < until);
    if (i < files.length) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Holds the migration lock on a reserved session for `fn`, creating the history tables first if needed.
 * `whileCreating`: work for this thread while a server creates them (tens of milliseconds of DDL).
 */
async function withLock<T>(
  ctx: RunnerContext,
  lockWaitSeconds: number,
  fn: (session: ReservedSession, names: HistoryNames, applied: PlanRow[]) => Promise<T>,
  whileCreating?: () => void,
): Promise<T> {
  const names = historyNames(ctx.config);
  const lock = migrationLock(names.schema, names.table);
  // While a server connection opens and answers the first queries (round trips, a new backend), read and
  // hash the up files: the plan, once the history is read, compares the applied ones with it.
  await ctx.db.preconnect?.();
  const hashed = checksumsInSlices(ctx.set.ups);
  hashed.catch(() => undefined);
  const session = await ctx.db.reserve();
  let locked = false;
  try {
    if (ctx.db.kind === 'postgres') {
      // If this process dies mid-statement, let the server notice within a second and
      // roll back (and free the lock) instead of finishing a long statement first.
      session.exec("SET client_connection_check_interval = '1s'").catch(() => undefined);
    }
    // One round trip for the lock and the reads that follow it: the server runs them in order, so when the
    // first attempt takes the lock, the history and approvals read after it are read under the lock. When
    // another run holds it, they are thrown away and read again once this run has it.
    const firstTry = tryLock(session, lock);
    const ahead = { history: readHistory(session, names, 'plan'), approvals: probeApprovals(session, ctx.config) };
    ahead.history.catch(() => undefined);
    ahead.approvals.catch(() => undefined);
    const atOnce = await bookkeeping(ctx, 'take the migration lock', () =>
      acquireLock(session, lock, { waitSeconds: lockWaitSeconds, onWait: (holder) => ctx.progress?.waitingForLock?.(holder, lock.label), firstTry }),
    );
    locked = true;
    let applied = await readPlanRows(ctx, session, atOnce ? ahead.history : undefined);
    let approvals = atOnce ? ahead.approvals : undefined;
    if (!applied) {
      const creating = bookkeeping(ctx, `create the migration history (schema ${names.schema} and its tables)`, () => ensureHistoryTables(session, names));
      if (whileCreating && ctx.db.kind === 'postgres') afterQueuedWrites(whileCreating);
      await creating;
      applied = [];
      // Read before the tables existed: ask again.
      approvals = undefined;
    }
    // guard: approvals table, append-only audit triggers and approver grants (idempotent, under the lock).
    await bookkeeping(ctx, `set up the approvals table (${names.schema}.${ctx.config.history.approvalsTable})`, () => ensureApprovals(session, ctx.config, approvals));
    await hashed;
    // Anything fn's own steps do not name (reading approvals, writing history rows) is bookkeeping too.
    return await bookkeeping(ctx, 'record the migration history', () => fn(session, names, applied));
  } finally {
    if (locked) await releaseLock(session, lock).catch(() => undefined);
    await session.release().catch(() => undefined);
  }
}

// ── up ───────────────────────────────────────────────────────────────────────

export interface UpOptions {
  to?: number;
  dryRun?: boolean;
  allowOutOfOrder?: boolean;
  /** Seconds to wait for the lock. */
  lockWait?: number;
}

export interface PlannedStep {
  version: number;
  name: string;
  file: string;
  executionMode: ExecutionMode;
  /** Why it runs outside a transaction. */
  reason?: string;
  /** guard: change classes from the AST (create-table, add-column, …). */
  classes?: readonly string[];
}

export interface UpResult {
  target: string;
  dryRun: boolean;
  /** Dry run: what would be applied; otherwise what was. */
  planned: PlannedStep[];
  applied: Applied[];
  alreadyApplied: number;
}

function planned(files: MigrationFile[]): PlannedStep[] {
  return files.map((f) => {
    const m = executionMode(f);
    return { version: versionOf(f), name: f.name, file: f.relPath, executionMode: m.mode, reason: m.reason, classes: classifyMigration(f.parsed.statements).classes };
  });
}

async function gate(ctx: RunnerContext, plan: Plan, session: DbSession = ctx.db): Promise<void> {
  if (plan.problems.length) throw new PlanRefusedError(plan.problems);
  if (!plan.toApply.length) return;
  // Loaded only now: with nothing pending, `up` parses nothing (the files' names and checksums make the plan).
  await initParser();
  checkRunnable(plan.toApply, 'up');
  const lint = await lintPending(ctx.set, plan.toApply, ctx.config, ctx.env, ctx.cwd);
  if (lint.failed) throw new LintRefusedError(lint.result);
  // guard: environment guardrails (standard §9.3) — approvals bound to each pending file's checksum.
  await enforceGuardrails(session, { config: ctx.config, env: ctx.env, pending: plan.toApply });
}

export async function migrateUp(ctx: RunnerContext, options: UpOptions = {}): Promise<UpResult> {
  const makePlan = (applied: PlanRow[]) =>
    planOf(ctx, applied, { allowOutOfOrder: options.allowOutOfOrder, to: options.to });
  if (options.dryRun) {
    // Reads only: no lock, nothing created.
    const plan = makePlan((await readPlanRows(ctx)) ?? []);
    await gate(ctx, plan);
    return { target: ctx.db.target, dryRun: true, planned: planned(plan.toApply), applied: [], alreadyApplied: plan.applied.length };
  }
  return withLock(ctx, options.lockWait ?? ctx.config.lockWait, async (session, names, rows) => {
    const plan = makePlan(rows);
    await gate(ctx, plan, session);
    const apply = applyContext(ctx, session, names);
    const done: Applied[] = [];
    for (const [i, file] of plan.toApply.entries()) {
      ctx.progress?.start?.(file, executionMode(file).mode, 'up');
      try {
        const step = await applyUp({ ...apply, asyncCommit: asyncCommit(ctx, i, plan.toApply.length) }, file);
        done.push(step);
        ctx.progress?.done?.(step, 'up');
      } catch (error) {
        ctx.progress?.failed?.(file, 'up');
        throw error;
      }
    }
    return { target: ctx.db.target, dryRun: false, planned: planned(plan.toApply), applied: done, alreadyApplied: plan.applied.length };
  }, loadParserEarly(ctx));
}

/**
 * A new history means every up is pending, and the lint gate will load the parser and compile what parsing
 * runs (~40 + ~35 ms): that happens while the server creates the history and approvals tables instead of after.
 */
function loadParserEarly(ctx: RunnerContext): (() => void) | undefined {
  // Two pieces, so that the answer to the first DDL is taken between them, and the next query goes out
  // before the second piece.
  return ctx.set.ups.length ? () => void initParser().then(() => afterQueuedWrites(warmUpQuietly), () => undefined) : undefined;
}

/** A parser that fails here fails again in the gate, which reports it: nothing to throw from a timer. */
function warmUpQuietly(): void {
  try {
    warmUpParser();
  } catch {
    // The gate's own parse reports it.
  }
}

// ── down ─────────────────────────────────────────────────────────────────────

export interface DownOptions {
  steps?: number;
  to?: number;
  dryRun?: boolean;
  lockWait?: number;
}

export interface DownResult {
  target: string;
  dryRun: boolean;
  planned: PlannedStep[];
  reverted: Applied[];
}

export async function migrateDown(ctx: RunnerContext, options: DownOptions = {}): Promise<DownResult> {
  const decide = (rows: PlanRow[]) => {
    const plan = planOf(ctx, rows, { allowOutOfOrder: true });
    // Pending files and failed runs don't stop a down (down is how a failed run is cleared); drift does.
    const blocking = plan.problems.filter((p) => p.kind === 'checksum-mismatch' || p.kind === 'missing-file' || p.kind === 'duplicate-version');
    if (blocking.length) throw new PlanRefusedError(blocking, 'down');
    const steps = planDown(plan.applied, options);
    const missing = steps.filter((s) => !s.down);
    if (missing.length)
      throw new MigrationError(
        `Nothing was reverted: no down file for ${missing.map((s) => `${s.up?.relPath ?? s.row.name} (version ${s.row.version})`).join(', ')} — write ${missing.map((s) => `${String(s.row.version).padStart(3, '0')}_down.sql`).join(', ')} next to it (it must undo the up), then run again.`,
      );
    checkRunnable(steps.map((s) => s.down!), 'down');
    return steps;
  };
  const describe = (steps: ReturnType<typeof planDown>): PlannedStep[] =>
    steps.map((s) => {
      const m = executionMode(s.down!);
      return { version: s.row.version, name: s.down!.name, file: s.down!.relPath, executionMode: m.mode, reason: m.reason };
    });
  if (options.dryRun) {
    const steps = decide((await readPlanRows(ctx)) ?? []);
    return { target: ctx.db.target, dryRun: true, planned: describe(steps), reverted: [] };
  }
  return withLock(ctx, options.lockWait ?? ctx.config.lockWait, async (session, names, rows) => {
    const steps = decide(rows);
    const apply = applyContext(ctx, session, names);
    const done: Applied[] = [];
    for (const [i, step] of steps.entries()) {
      const down = step.down!;
      ctx.progress?.start?.(down, executionMode(down).mode, 'down');
      try {
        const result = await applyDown({ ...apply, asyncCommit: asyncCommit(ctx, i, steps.length) }, step.row.version, down);
        done.push(result);
        ctx.progress?.done?.(result, 'down');
      } catch (error) {
        ctx.progress?.failed?.(down, 'down');
        throw error;
      }
    }
    return { target: ctx.db.target, dryRun: false, planned: describe(steps), reverted: done };
  });
}

// ── status and history ──────────────────────────────────────────────────────

export interface StatusResult {
  target: string;
  applied: AppliedMigration[];
  pending: MigrationFile[];
  problems: PlanProblem[];
}

/** Reads only: no lock, nothing created. */
export async function migrateStatus(ctx: RunnerContext): Promise<StatusResult> {
  const rows = (await readHistoryOf(ctx)) ?? [];
  const plan = planOf(ctx, rows);
  return { target: ctx.db.target, applied: rows, pending: plan.pending, problems: plan.problems };
}

export async function migrateHistory(ctx: Pick<RunnerContext, 'config' | 'db'>): Promise<AuditRow[]> {
  const names = historyNames(ctx.config);
  return (await bookkeeping(ctx, `read the audit trail (${names.schema}.${names.eventsTable})`, () => readEvents(ctx.db, names))) ?? [];
}
