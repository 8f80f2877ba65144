/**
 * `aibos migrate up | down | status | history`. Results on stdout (a table, or
 * one JSON document with --json); progress and notices on stderr.
 */
import type { Command } from 'commander';
import { palette } from '../report/ansi.js';
import type { ResolvedConfig } from '../config/types.js';
import { connectDatabase, resolveDatabaseUrl } from '../db/connect.js';
import type { Database } from '../db/types.js';
import { UsageError } from '../errors.js';
import { extensionsCreatedIn, findSqlFiles, loadMigrationFiles, requireMigrationsFolder, type MigrationFile, type MigrationSet } from '../migrations/files.js';
import { VERSION } from '../paths.js';
import { formatStylish } from '../report/stylish.js';
import { formatJson } from '../report/json.js';
import { initParser } from '../sql/parse.js';
import type { Applied } from '../runner/apply.js';
import { MigrationFailedError } from '../runner/failure.js';
import { describeHolder } from '../runner/lock.js';
import type { ExecutionMode } from '../runner/mode.js';
import type { AuditRow } from '../runner/history.js';
import { versionOf, type PlanProblem } from '../runner/plan.js';
import { LintRefusedError, PlanRefusedError, type Progress } from '../runner/run.js';
import { action, errorJson, getConfig, jsonErrors, notice, printJson, redact, reportedAsJson, useColor } from './shared.js';
import { classifyMigration } from '../runner/classify.js';
import { importModule } from '../import-module.js';

interface CommonFlags {
  url?: string;
  env?: string;
  json?: boolean;
}

interface UpFlags extends CommonFlags {
  to?: number;
  dryRun?: boolean;
  allowOutOfOrder?: boolean;
  lockTimeout?: number;
}

interface DownFlags extends CommonFlags {
  steps?: number;
  to?: number;
  dryRun?: boolean;
  lockTimeout?: number;
}

function integer(flag: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UsageError(`${flag} ${value}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}.`);
    return Number(value);
  };
}

function seconds(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isFinite(n) || n < 0) throw new UsageError(`--lock-timeout ${value}: expected a number of seconds (0 or more).`);
  return n;
}

/**
 * Reads the migration files once (each is parsed on first use); the plan, the lint gate and the apply
 * share them. `parserLater`: the caller loads the parser itself once something is to be parsed, and
 * each file is read on first use (`up` with nothing pending reads only the applied ups' checksums, and
 * loads no parser).
 */
async function loadSet(config: ResolvedConfig, parserLater = false): Promise<MigrationSet> {
  requireMigrationsFolder(config.migrationsPath);
  if (!parserLater) await initParser();
  return loadMigrationFiles(findSqlFiles([config.migrationsPath]), Object.keys(config.schemas), process.cwd(), undefined, parserLater);
}

/** `set`: the migrations, whose extensions an embedded database starts with (history reads only aibos's own tables: none). */
async function open(config: ResolvedConfig, flags: CommonFlags, set: MigrationSet | undefined): Promise<{ db: Database; env: string }> {
  const extensions = () => (set ? extensionsCreatedIn(set.files) : []);
  return connectDatabase({ config, url: flags.url, env: flags.env, applicationName: 'aibos migrate', notice, extensions });
}

/** --json: the error becomes part of the one document, with the runner's own kinds. */
function errorDoc(error: unknown): Record<string, unknown> {
  if (error instanceof MigrationFailedError) return { kind: 'migration-failed', message: redact(error.message), failure: error.failure };
  if (error instanceof PlanRefusedError) return { kind: 'plan-refused', message: redact(error.message) };
  if (error instanceof LintRefusedError) return { kind: 'lint-failed', message: redact(error.message) };
  return errorJson(error);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface InFlight {
  file: MigrationFile;
  mode: ExecutionMode;
  direction: 'up' | 'down';
}

/**
 * What Ctrl-C did, in one line. The process ends and the connection with it: the server then stops the
 * statement in flight (client_connection_check_interval, set by the runner) and rolls back the open
 * transaction, which never reached its COMMIT; a migration run outside a transaction keeps whatever its
 * statements had done.
 */
function interruptedLine(current: InFlight | undefined, done: number, direction: 'up' | 'down'): string {
  const verb = direction === 'up' ? 'applied' : 'reverted';
  if (!current) return `aibos: interrupted — no migration was in flight (${plural(done, 'migration')} ${verb} in this run).`;
  const { file, mode } = current;
  const what = `aibos: interrupted while ${current.direction === 'up' ? 'applying' : 'reverting'} ${file.name}`;
  const version = versionOf(file);
  if (mode === 'transaction')
    return current.direction === 'up'
      ? `${what} — rolled back: its transaction never committed, so nothing of it is applied or recorded.`
      : `${what} — rolled back: its transaction never committed, so version ${version} is still applied.`;
  const index = file.parsed.statements.some((s) => s.kind === 'IndexStmt' || s.kind === 'ReindexStmt');
  return current.direction === 'up'
    ? `${what}, which runs outside a transaction — it may have stopped part-way${index ? ' (an INVALID index may remain)' : ''}: aibos migrate status reports it as failed; check what it left, then run aibos migrate down --steps 1.`
    : `${what}, which runs outside a transaction — it may have stopped part-way, and version ${version} is still recorded as applied: check what it left, then run aibos migrate down again.`;
}

/** Spinners on a TTY, one plain line per migration otherwise, nothing with --json; and which migration is in flight. */
async function progressFor(command: Command, json: boolean, steps: Applied[]): Promise<Progress & { stop(): void; inFlight(): InFlight | undefined }> {
  // A pseudo-terminal without a size (e.g. `docker run -t`, `script`) sends ora into an endless redraw.
  const tty = Boolean(process.stderr.isTTY) && (process.stderr.columns ?? 0) > 0 && !json;
  const c = palette(useColor(command, process.stderr));
  const verb = (d: 'up' | 'down') => (d === 'up' ? 'applying' : 'reverting');
  const modeNote = (m: ExecutionMode) => (m === 'no-transaction' ? c.yellow(' [no transaction]') : '');
  let spinner: import('ora').Ora | undefined;
  let current: InFlight | undefined;
  const ora = tty ? (await importModule<typeof import('ora')>('ora')).default : undefined;
  return {
    waitingForLock(holder, label) {
      if (!json) notice(`aibos: waiting for the migration lock on ${label}, held by ${describeHolder(holder)}…`);
    },
    start(file, mode, direction) {
      current = { file, mode, direction };
      if (ora) spinner = ora({ text: `${verb(direction)} ${file.name}${modeNote(mode)}`, stream: process.stderr, discardStdin: false }).start();
    },
    done(step, direction) {
      current = undefined;
      steps.push(step);
      const text = `${direction === 'up' ? 'applied' : 'reverted'} ${step.file.name}${modeNote(step.mode)} ${c.dim(`(${step.durationMs} ms)`)}`;
      if (spinner) spinner.succeed(text);
      else if (!json) notice(text);
      spinner = undefined;
    },
    failed(file, direction) {
      current = undefined;
      const text = `${direction === 'up' ? 'failed' : 'failed to revert'} ${file.name}`;
      if (spinner) spinner.fail(text);
      else if (!json) notice(text);
      spinner = undefined;
    },
    stop() {
      spinner?.stop();
    },
    inFlight: () => current,
  };
}

const stepJson = (s: Applied) => ({ version: s.version, name: s.file.name, file: s.file.relPath, executionMode: s.mode, durationMs: s.durationMs });

function lintText(error: LintRefusedError, command: Command): string {
  return formatStylish(error.lint, { color: useColor(command, process.stderr), quiet: true, cwd: process.cwd(), toolVersion: VERSION });
}

/** Shared ending of up and down: one JSON document or the stylish lint report, then the error for `action()`. */
function failWith(error: unknown, command: Command, flags: CommonFlags, doc: Record<string, unknown>): never {
  if (flags.json && error instanceof Object) reportedAsJson.add(error);
  if (flags.json) {
    const lint = error instanceof LintRefusedError ? JSON.parse(formatJson(error.lint, { color: false, quiet: true, cwd: process.cwd(), toolVersion: VERSION })) : null;
    const problems = error instanceof PlanRefusedError ? error.problems : [];
    printJson({ ...doc, ok: false, problems, lint, error: errorDoc(error) });
  } else if (error instanceof LintRefusedError) process.stderr.write(lintText(error, command));
  throw error;
}

interface RunSession {
  config: Awaited<ReturnType<typeof getConfig>>;
  set: Awaited<ReturnType<typeof loadSet>>;
  db: Awaited<ReturnType<typeof open>>['db'];
  env: string;
  progress: Awaited<ReturnType<typeof progressFor>>;
}

/**
 * What up and down share: config, files, the database and progress; on failure one JSON
 * document (with the steps done so far under `stepsKey`) or the stylish lint report.
 */
async function withRun(flags: CommonFlags & { dryRun?: boolean }, command: Command, stepsKey: 'applied' | 'reverted', body: (run: RunSession) => Promise<number>): Promise<number> {
  const config = await getConfig(command);
  // A server connection starts opening now, and the server starts its backend while the files are found,
  // read and hashed (~15 ms of a no-op `up`). The embedded database opens after them: it starts with the
  // extensions they create.
  requireMigrationsFolder(config.migrationsPath);
  const early = resolveDatabaseUrl({ config, url: flags.url, env: flags.env }) ? await open(config, flags, undefined) : undefined;
  let set: MigrationSet;
  try {
    await early?.db.preconnect?.();
    // `up` loads the parser in its gate, once it knows something is pending.
    set = await loadSet(config, stepsKey === 'applied');
  } catch (error) {
    await early?.db.close({ lastThing: true }).catch(() => undefined);
    throw error;
  }
  const { db, env } = early ?? (await open(config, flags, set));
  const steps: Applied[] = [];
  const progress = await progressFor(command, Boolean(flags.json), steps);
  const onInterrupt = () => {
    progress.stop();
    notice(interruptedLine(progress.inFlight(), steps.length, stepsKey === 'applied' ? 'up' : 'down'));
    process.exit(130);
  };
  // Only for a server: PGlite runs each statement on this thread, so a handler would run only once the
  // statement ended, and Ctrl-C would no longer stop a long migration. There Node's default stays (the
  // process ends at once; an embedded transaction that did not commit is gone when the database reopens).
  if (db.kind === 'postgres') process.once('SIGINT', onInterrupt);
  try {
    return await body({ config, set, db, env, progress });
  } catch (error) {
    progress.stop();
    failWith(error, command, flags, { target: db.target, env, dryRun: Boolean(flags.dryRun), [stepsKey]: steps.map(stepJson) });
  } finally {
    process.off('SIGINT', onInterrupt);
    await db.close({ lastThing: true }).catch(() => undefined);
  }
}

/** The --json document of a run that did its job (failWith writes the other kind, in the same shape). */
function doneDoc(
  result: { target: string; dryRun: boolean; planned: unknown[] },
  env: string,
  stepsKey: 'applied' | 'reverted',
  steps: Parameters<typeof stepJson>[0][],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const done = result.dryRun ? { planned: result.planned } : { [stepsKey]: steps.map(stepJson) };
  return { ok: true, target: result.target, env, dryRun: result.dryRun, ...done, ...extra, problems: [], lint: null, error: null };
}

/** One line of a --dry-run plan. */
function plannedLine(p: { version: number; file: string; executionMode: string; reason?: string }): string {
  return `  ${String(p.version).padEnd(6)} ${p.file}  ${p.executionMode}${p.reason ? ` (${p.reason})` : ''}`;
}

/** An up found nothing to apply: see writesCodeCache. */
let upToDate = false;

/**
 * Asked by the code-cache loader (scripts/code-cache-loader.cjs) before it writes this bundle's first cache:
 * only after an `up` that found nothing to apply, what most deploys run. V8 reads a whole cache at start, so
 * a cache that also holds the lint gate and the apply (written by an up that applied) made that no-op ~10 ms
 * slower for the ~25 ms it saves an apply of hundreds of migrations (bench/README.md); what a run finds
 * outside the cache, it compiles as it goes.
 */
export function writesCodeCache(): boolean {
  return upToDate;
}

async function runUp(flags: UpFlags, command: Command): Promise<number> {
  const { migrateUp } = await import('../runner/run.js');
  return withRun(flags, command, 'applied', async ({ config, set, db, env, progress }) => {
    const result = await migrateUp({ config, db, set, env, progress }, { to: flags.to, dryRun: flags.dryRun, allowOutOfOrder: flags.allowOutOfOrder, lockWait: flags.lockTimeout });
    upToDate = !result.dryRun && !result.applied.length;
    if (flags.json) {
      printJson(doneDoc(result, env, 'applied', result.applied, { alreadyApplied: result.alreadyApplied }));
    } else if (result.dryRun) {
      if (!result.planned.length) process.stdout.write(`Nothing to apply to ${result.target} (${plural(result.alreadyApplied, 'migration')} applied).\n`);
      else {
        process.stdout.write(`Would apply ${plural(result.planned.length, 'migration')} to ${result.target} (dry run, nothing applied):\n`);
        for (const p of result.planned) process.stdout.write(`${plannedLine(p)}  [${p.classes?.join(', ') || 'no changes'}]\n`);
      }
    } else if (!result.applied.length) {
      process.stdout.write(`Already up to date: ${plural(result.alreadyApplied, 'migration')} applied to ${result.target}.\n`);
    } else {
      const total = result.applied.reduce((sum, s) => sum + s.durationMs, 0);
      const first = result.applied[0]!.version;
      const last = result.applied.at(-1)!.version;
      process.stdout.write(`Applied ${plural(result.applied.length, 'migration')} (${first === last ? first : `${first} → ${last}`}) to ${result.target} in ${total} ms.\n`);
    }
    return 0;
  });
}

async function runDown(flags: DownFlags, command: Command): Promise<number> {
  if (flags.steps !== undefined && flags.to !== undefined) throw new UsageError('migrate down: use either --steps N or --to SEQ, not both.');
  const { migrateDown } = await import('../runner/run.js');
  return withRun(flags, command, 'reverted', async ({ config, set, db, env, progress }) => {
    const result = await migrateDown({ config, db, set, env, progress }, { steps: flags.steps, to: flags.to, dryRun: flags.dryRun, lockWait: flags.lockTimeout });
    if (flags.json) {
      printJson(doneDoc(result, env, 'reverted', result.reverted));
    } else if (!result.planned.length) {
      process.stdout.write(`Nothing to revert on ${result.target}.\n`);
    } else if (result.dryRun) {
      process.stdout.write(`Would revert ${plural(result.planned.length, 'migration')} on ${result.target} (dry run, nothing reverted):\n`);
      for (const p of result.planned) process.stdout.write(`${plannedLine(p)}\n`);
    } else {
      process.stdout.write(`Reverted ${plural(result.reverted.length, 'migration')} (${result.reverted.map((r) => r.version).join(', ')}) on ${result.target}.\n`);
    }
    return 0;
  });
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

/** The STATUS of an applied row whose file no longer matches it. */
const DRIFT_LABEL: Partial<Record<PlanProblem['kind'], string>> = { 'checksum-mismatch': 'changed', 'missing-file': 'missing file' };

const problemJson = (p: PlanProblem) => ({ kind: p.kind, version: p.version, file: p.file, message: p.message });

async function runStatus(flags: CommonFlags, command: Command): Promise<number> {
  const config = await getConfig(command);
  const set = await loadSet(config);
  const { db } = await open(config, flags, set);
  const { migrateStatus } = await import('../runner/run.js');
  try {
    const status = await migrateStatus({ config, db, set, env: flags.env ?? config.defaultEnv });
    if (flags.json) {
      printJson({
        applied: status.applied.map((r) => ({ version: r.version, name: r.name, checksum: r.checksum, appliedAt: r.appliedAt.toISOString() })),
        pending: status.pending.map((f: MigrationFile) => ({ version: f.seq ?? Number(f.order), name: f.name, classes: classifyMigration(f.parsed.statements).classes })),
        problems: status.problems.map(problemJson),
      });
    } else {
      const c = palette(useColor(command));
      // Drift shows in the row itself, not only in the footer: an applied row whose file changed or is gone.
      const drift = new Map<number, string>();
      for (const p of status.problems) if (p.kind in DRIFT_LABEL) drift.set(p.version, DRIFT_LABEL[p.kind]!);
      const statusOf = (r: (typeof status.applied)[number]) => {
        const d = drift.get(r.version);
        return !d ? r.status : r.status === 'applied' ? d : `${r.status}, ${d}`;
      };
      const rows = [
        ...status.applied.map((r) => [String(r.version), r.name, statusOf(r), r.appliedAt.toISOString().replace('T', ' ').slice(0, 19), r.executionMode, r.appliedBy]),
        ...status.pending.map((f) => [String(f.seq ?? f.order), f.name, 'pending', '', '', '', classifyMigration(f.parsed.statements).classes.join(', ')]),
      ];
      process.stdout.write(`${c.bold(status.target)}\n`);
      process.stdout.write(rows.length ? table(['VERSION', 'NAME', 'STATUS', 'APPLIED AT (UTC)', 'MODE', 'BY', 'CHANGES'], rows) : 'no migrations applied or pending\n');
      process.stdout.write(`${plural(status.applied.length, 'applied migration')}, ${status.pending.length} pending${status.problems.length ? `, ${plural(status.problems.length, 'problem')}` : ''}\n`);
      for (const p of status.problems) process.stdout.write(`${c.red(p.kind)}: ${p.message}\n`);
    }
    return status.problems.length ? 1 : 0;
  } finally {
    await db.close({ lastThing: true }).catch(() => undefined);
  }
}

async function runHistory(flags: CommonFlags, command: Command): Promise<number> {
  const config = await getConfig(command);
  const { db } = await open(config, flags, undefined);
  const { migrateHistory } = await import('../runner/run.js');
  try {
    const events = await migrateHistory({ config, db });
    if (flags.json) {
      printJson({ events: events.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) });
    } else if (!events.length) {
      process.stdout.write(`No migration events recorded on ${db.target}.\n`);
    } else {
      const rows = events.map((e) => [
        e.createdAt.toISOString().replace('T', ' ').slice(0, 19),
        e.event,
        e.version === null ? '' : String(e.version),
        e.name ?? '',
        e.env ?? '',
        e.actor,
        whyOf(e),
      ]);
      process.stdout.write(table(['WHEN (UTC)', 'EVENT', 'VERSION', 'NAME', 'ENV', 'BY', 'WHY'], rows));
    }
    return 0;
  } finally {
    await db.close({ lastThing: true }).catch(() => undefined);
  }
}

/**
 * The WHY of a history row. An approval's reason is the approver's (BY), not the migration author's: the
 * author's header line would read as if the author had given it.
 */
function whyOf(e: AuditRow): string {
  if (e.event === 'approve') return e.reason ? `approval reason: ${e.reason}` : '';
  return [e.author ? `author: ${e.author}` : '', e.reason ? `reason: ${e.reason}` : ''].filter(Boolean).join('; ');
}


export function register(program: Command): void {
  const migrate = program.command('migrate').description('apply, revert and inspect migrations on a database (advisory-locked, checksummed, audited)');
  const common = (cmd: Command) =>
    cmd
      .option('--url <url>', 'database URL (default: DATABASE_URL, then environments.<env>.url, then the embedded database)')
      .option('--env <name>', 'environment from the config (default: defaultEnv)')
      .option('--json', 'print one JSON document on stdout');

  common(
    migrate
      .command('up')
      .description('apply pending migrations (each in its own transaction, with its history row)')
      .option('--to <seq>', 'apply up to and including this version', integer('--to', 0))
      .option('--dry-run', 'show the plan and each migration’s execution mode; apply nothing')
      .option('--allow-out-of-order', 'apply pending files older than the newest applied one'),
  )
    .option('--lock-timeout <seconds>', 'how long to wait for another run’s lock (default: config lockWait, 60)', seconds)
    .action(action(jsonErrors(runUp, errorDoc)));

  common(
    migrate
      .command('down')
      .description('revert applied migrations with their down files, highest version first (default: 1 step)')
      .option('--steps <n>', 'how many migrations to revert', integer('--steps', 1))
      .option('--to <seq>', 'revert every migration above this version', integer('--to', 0))
      .option('--dry-run', 'show what would be reverted; change nothing'),
  )
    .option('--lock-timeout <seconds>', 'how long to wait for another run’s lock (default: config lockWait, 60)', seconds)
    .action(action(jsonErrors(runDown, errorDoc)));

  common(migrate.command('status').description('applied and pending migrations, and any drift (exit 1 on a problem)')).action(action(jsonErrors(runStatus, errorDoc)));

  common(migrate.command('history').description('the audit trail, newest first: who applied or reverted what, when and why')).action(action(jsonErrors(runHistory, errorDoc)));
}
