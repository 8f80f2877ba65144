import { Catalog } from '../catalog/catalog.js';
import type { CatalogTable } from '../catalog/model.js';
import type { Level, ResolvedConfig } from '../config/types.js';
import type { MigrationFile, MigrationSet } from '../migrations/files.js';
import type { AstNode, Statement } from '../sql/parse.js';
import { nameEnd } from '../sql/lexer.js';
import { configNames } from './ast.js';
import { reportFields, summarize } from './restrict.js';
import { timing } from './timing.js';
import { resolveRules, unknownRuleMessage, type ResolvedRule } from './levels.js';
import type { MigrationDirInfo, ActiveLevel, BaseSnapshot, Diagnostic, LintResult, ReportDescriptor, Rule, RuleContext, RuleVisitors, VisitInfo } from './types.js';

export interface LintOptions {
  config: ResolvedConfig;
  rules: Rule[];
  env?: string;
  ruleOverrides?: Record<string, Level>;
  base?: BaseSnapshot;
  /** All files of the migrations folder, when the run covers files inside it. */
  migrationDir?: MigrationDirInfo;
  /**
   * Free each file's AST once the rules have visited it (a down's up waits for its down). For a
   * lint on its own: callers that go on to use the statements (the runner) leave it off.
   */
  releaseTrees?: boolean;
}

interface PendingDiagnostic extends Diagnostic {
  fileRef?: MigrationFile;
  /** The statement it is on; UNKNOWN_STATEMENT until an ack on its file needs it (then from `offset`). */
  statementIndex: number;
  /** Byte offset of the finding's start. */
  offset: number;
  /** Position of the file in the run (for sorting); -1 for a file outside it. */
  fileIndex: number;
}

interface ActiveRule {
  resolved: ResolvedRule;
  visitors: RuleVisitors;
}

/** Where `flat` puts the character it reads, so no compiler can drop the read. */
let flatSink = 0;

/**
 * A message built from a template is a tree of string pieces until something reads it; reading a
 * character makes V8 copy it into one flat string while it is young. Findings live until the report:
 * kept as trees they were ~250,000 small objects on the corpus (8 MB) for the collector to move into
 * the old generation, then flattened again there by JSON.stringify, in fresh memory.
 */
function flat(s: string): string {
  flatSink ^= s.charCodeAt(0);
  return s;
}

/** A finding reported while the lint was on another file: its statement is found only if an ack needs it. */
const UNKNOWN_STATEMENT = -2;

const HOOKS = new Set(['run:start', 'file:start', 'file:end', 'run:end']);

type Visitor = (node: AstNode, info: VisitInfo) => void;

/** Calls the visitors of every wrapped node (`{ Type: {...} }`) under `value` (objects and arrays only). */
function walk(value: AstNode, byType: Map<string, Visitor[]>, info: VisitInfo): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item !== null && typeof item === 'object') walk(item, byType, info);
    }
    return;
  }
  for (const key in value) {
    const child = value[key];
    if (child === null || typeof child !== 'object') continue;
    const c = key.charCodeAt(0);
    if (c >= 65 && c <= 90 && !Array.isArray(child)) {
      const fns = byType.get(key);
      if (fns) for (let i = 0; i < fns.length; i++) fns[i]!(child, info);
    }
    walk(child, byType, info);
  }
}

export function lintMigrations(set: MigrationSet, options: LintOptions): LintResult {
  const { config } = options;
  const env = options.env ?? config.defaultEnv;
  const resolved = resolveRules(options.rules, config, env, options.ruleOverrides);
  const diagnostics: PendingDiagnostic[] = [];
  const globalTables = configNames(config.tenancy.globalTables);

  let live = new Catalog();
  let historyDone = false;
  // The end state of the whole history, for rules that look ahead. Once every
  // file is visited, `live` is exactly that (only ups are replayed into it;
  // downs go to forks), so the extra replay runs only if a rule asks earlier.
  let final: Catalog | undefined;
  const finalCatalog = (): Catalog => {
    if (final) return final;
    if (historyDone) return (final = live);
    final = new Catalog();
    for (const file of set.files) {
      if (file.role !== 'up' || file.parsed.syntaxError) continue;
      for (const stmt of file.parsed.statements) final.apply(stmt, file.relPath);
    }
    return final;
  };

  let current: MigrationFile = set.files[0]!;
  let currentStatement: Statement | undefined;
  let catalogForFile = live;
  const fileIndex = new Map(set.files.map((f, i) => [f.relPath, i]));
  let currentIndex = 0;
  // What the current file touched and created, worked out once per catalog change: several rules ask at file:end.
  let touchedTables: CatalogTable[] | undefined;
  let createdTables: CatalogTable[] | undefined;
  const tablesTouched = (): CatalogTable[] => {
    if (touchedTables) return touchedTables;
    touchedTables = [];
    for (const key of catalogForFile.touched) {
      const table = catalogForFile.table(key);
      if (table) touchedTables.push(table);
    }
    return touchedTables;
  };

  const makeContext = (r: ResolvedRule): RuleContext => ({
    ruleId: r.rule.meta.id,
    options: r.options,
    config,
    env,
    migrations: set,
    migrationDir: options.migrationDir,
    base: options.base,
    get file() {
      return current;
    },
    get catalog() {
      return catalogForFile;
    },
    get final() {
      return finalCatalog();
    },
    createdInFile: (key) => catalogForFile.table(key)?.origin.file === current.relPath,
    existedBeforeFile: (key) => {
      const t = catalogForFile.table(key);
      return t !== undefined && t.origin.file !== current.relPath;
    },
    createdByUp: (key) => {
      const up = current.pair;
      const t = catalogForFile.table(key);
      return up !== undefined && t !== undefined && t.origin.file === up.relPath;
    },
    tablesTouchedInFile: tablesTouched,
    tablesCreatedInFile: () => (createdTables ??= tablesTouched().filter((t) => t.origin.file === current.relPath)),
    fileAt: (relPath) => {
      const i = fileIndex.get(relPath);
      return i === undefined ? undefined : set.files[i];
    },
    isGlobalTable: (key) => globalTables.has(key),
    report: (d: ReportDescriptor) => diagnostics.push(toDiagnostic(r, d)),
  });

  const toDiagnostic = (r: ResolvedRule, d: ReportDescriptor): PendingDiagnostic => {
    const target = typeof d.file === 'string' ? undefined : d.file ?? current;
    const fileName = typeof d.file === 'string' ? d.file : target!.relPath;
    let line = 1;
    let column = 1;
    let endLine = 1;
    let endColumn = 1;
    let statementIndex = -1;
    let offset = 0;
    if (target) {
      // The file's positions, not its statements: reporting on a file the lint has not reached does not parse it.
      const source = target.source;
      const stmt = target === current ? currentStatement : undefined;
      let start: number | undefined = d.offset ?? (typeof d.node?.location === 'number' ? d.node.location : undefined);
      let end: number | undefined = d.endOffset;
      if ((d.wholeStatement || start === undefined) && stmt) {
        start = stmt.start;
        end = stmt.end;
      } else if (start === undefined) {
        start = 0;
        end = 0;
      }
      ({ line, column, endLine, endColumn } = source.spanOf(start, end ?? nameEnd(source.bytes, start)));
      statementIndex = stmt ? stmt.index : UNKNOWN_STATEMENT;
      offset = start;
    }
    // One object shape for every finding (V8 keeps the sort and the formatters monomorphic).
    return {
      ruleId: r.rule.meta.id,
      level: r.level as ActiveLevel,
      message: flat(d.message),
      help: d.help === undefined ? undefined : flat(d.help),
      file: fileName,
      line,
      column,
      endLine,
      endColumn,
      acknowledged: false,
      ackReason: undefined,
      fileRef: target,
      statementIndex,
      offset,
      fileIndex: target === current ? currentIndex : (fileIndex.get(fileName) ?? -1),
    };
  };

  const active: ActiveRule[] = resolved
    .filter((r) => r.level !== 'off' && r.rule.meta.id !== 'syntax-error' && r.rule.meta.id !== 'invalid-ack')
    .map((r) => ({ resolved: r, visitors: timed(r.rule.meta.id, r.rule.create(makeContext(r))) }));

  const byType = new Map<string, Visitor[]>();
  for (const a of active) {
    for (const [key, fn] of Object.entries(a.visitors)) {
      if (!fn || HOOKS.has(key)) continue;
      const list = byType.get(key) ?? [];
      list.push(fn as Visitor);
      byType.set(key, list);
    }
  }
  // Each hook's functions, listed once: most rules have none of a given hook.
  const hooks = new Map<string, (() => void)[]>();
  for (const name of HOOKS) hooks.set(name, active.map((a) => a.visitors[name] as (() => void) | undefined).filter((fn) => fn !== undefined));
  const hook = (name: string) => {
    const fns = hooks.get(name)!;
    for (let i = 0; i < fns.length; i++) fns[i]!();
  };

  const syntaxRule = resolved.find((r) => r.rule.meta.id === 'syntax-error');

  const visited = new Set<MigrationFile>();
  if (set.files.length) hook('run:start');
  for (const [index, file] of set.files.entries()) {
    current = file;
    currentIndex = index;
    currentStatement = undefined;
    let t = timing ? performance.now() : 0;
    const { syntaxError } = file.parsed;
    if (timing) timing.add('parse (JSON to statements; the parser itself where no thread did it)', performance.now() - t);
    if (syntaxError) {
      if (syntaxRule && syntaxRule.level !== 'off') {
        diagnostics.push({
          ruleId: 'syntax-error',
          level: syntaxRule.level as ActiveLevel,
          message: `${file.name} does not parse: ${syntaxError.message}`,
          help: 'fix the SQL at this position; aibos checks nothing else in a file Postgres would reject',
          file: file.relPath,
          ...syntaxError.span,
          acknowledged: false,
          fileRef: file,
          statementIndex: -1,
          offset: syntaxError.offset,
          fileIndex: fileIndex.get(file.relPath)!,
        });
      }
      continue;
    }
    // A down file is checked against a scratch copy of the state after its up.
    catalogForFile = file.role === 'down' ? live.fork() : live;
    catalogForFile.touched = new Set();
    touchedTables = createdTables = undefined;
    hook('file:start');
    for (const stmt of file.parsed.statements) {
      currentStatement = stmt;
      const info: VisitInfo = { statement: stmt };
      const top = byType.get(stmt.kind);
      if (top) for (let i = 0; i < top.length; i++) top[i]!(stmt.node, info);
      if (byType.size) walk(stmt.node, byType, info);
      if (timing) t = performance.now();
      catalogForFile.apply(stmt, file.relPath);
      if (timing) timing.add('catalog replay', performance.now() - t);
      touchedTables = createdTables = undefined;
    }
    currentStatement = undefined;
    hook('file:end');
    if (options.releaseTrees) {
      visited.add(file);
      // An up stays whole until its down is linted: down rules read the up's statements.
      if (file.role === 'down' || !file.pair || visited.has(file.pair)) file.parsed.releaseTrees();
      if (file.role === 'down' && file.pair && visited.has(file.pair)) file.pair.parsed.releaseTrees();
    }
  }
  catalogForFile = live;
  touchedTables = createdTables = undefined;
  historyDone = true;
  if (set.files.length) hook('run:end');

  const invalidAck = resolved.find((r) => r.rule.meta.id === 'invalid-ack');
  const known = new Map(resolved.map((r) => [r.rule.meta.id, r]));
  applyAcks(set, diagnostics, known, invalidAck);

  // Rule ids and messages compare by code unit, not localeCompare: the same order on every machine's locale,
  // and the first localeCompare of a process starts ICU's collator (~5 ms of a one-file lint). The message
  // settles ties, so the order never depends on the order rules happen to report in.
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  diagnostics.sort((a, b) => a.fileIndex - b.fileIndex || a.line - b.line || a.column - b.column || byText(a.ruleId, b.ruleId) || byText(a.message, b.message));
  const clean: Diagnostic[] = diagnostics.map((d) => {
    // DESIGN §3's fields in its order: the JSON report writes these objects as they are.
    const out = reportFields(d);
    if (d.ackReason !== undefined) out.ackReason = d.ackReason;
    return out;
  });
  const summary = summarize(clean, set.files.length);
  const sources = new Map(set.files.map((f) => [f.relPath, f]));
  return { summary, diagnostics: clean, sources, rules: resolved.filter((r) => r.level !== 'off').map((r) => r.rule) };
}

/**
 * Marks warn/shadow findings acknowledged by `-- aibos-ack` (next statement) or
 * `-- aibos-ack-file`, and reports every ack that is malformed, unknown, aimed at a
 * block finding or matching nothing as `invalid-ack`.
 */
function applyAcks(set: MigrationSet, diagnostics: PendingDiagnostic[], known: Map<string, ResolvedRule>, invalidAck: ResolvedRule | undefined): void {
  const problems: PendingDiagnostic[] = [];
  // Only findings on files that carry directives can be acknowledged.
  const byFile = new Map<MigrationFile, PendingDiagnostic[]>();
  for (const file of set.files) if (!file.parsed.syntaxError && file.parsed.directives.length) byFile.set(file, []);
  if (byFile.size)
    for (const d of diagnostics) {
      const own = d.fileRef && byFile.get(d.fileRef);
      if (!own) continue;
      if (d.statementIndex === UNKNOWN_STATEMENT) d.statementIndex = statementAt(d.fileRef!.parsed.statements, d.offset);
      own.push(d);
    }
  for (const [index, file] of set.files.entries()) {
    if (file.parsed.syntaxError || !file.parsed.directives.length) continue;
    const own = byFile.get(file) ?? [];
    for (const directive of file.parsed.directives) {
      if (directive.kind === 'no-transaction') continue;
      const where = directive.kind === 'ack' ? 'the next statement' : 'this file';
      const problem = (message: string, help: string) =>
        problems.push({
          ruleId: 'invalid-ack',
          level: (invalidAck?.level ?? 'block') as ActiveLevel,
          message,
          help,
          file: file.relPath,
          ...directive.span,
          acknowledged: false,
          fileRef: file,
          statementIndex: directive.statementIndex,
          offset: directive.start,
          fileIndex: index,
        });
      if (!directive.rules.length) {
        problem('aibos-ack names no rule', 'write `-- aibos-ack <rule-id>: <reason>`');
        continue;
      }
      if (!directive.reason) problem(`aibos-ack ${directive.rules.join(', ')} has no reason`, 'add the reason after a colon: `-- aibos-ack <rule-id>: <why this is acceptable>`; reviewers read it');
      for (const id of directive.rules) {
        const rule = known.get(id);
        if (!rule) {
          problem(`aibos-ack names an ${unknownRuleMessage(id, [...known.keys()])}`, 'use a rule id from `aibos rules`');
          continue;
        }
        const targets = own.filter((d) => d.ruleId === id && (directive.kind === 'ack-file' || d.statementIndex === directive.statementIndex) && d.ruleId !== 'invalid-ack');
        if (!targets.length) {
          problem(`aibos-ack ${id} matches no finding on ${where}`, 'remove the stale ack, or move it right above the statement it is meant for');
          continue;
        }
        const blockers = targets.filter((d) => d.level === 'block');
        if (blockers.length) problem(`aibos-ack cannot acknowledge ${id}: it is a block-level finding`, `fix the statement, or lower the rule's level in config (reviewed like code): "rules": { "${id}": "warn" }`);
        if (!directive.reason) continue;
        for (const d of targets) {
          if (d.level === 'block') continue;
          d.acknowledged = true;
          d.ackReason = directive.reason;
        }
      }
    }
  }
  if (invalidAck && invalidAck.level !== 'off') diagnostics.push(...problems);
}

/** Index of the statement whose span holds `offset` (statements are in source order), or -1. */
function statementAt(statements: Statement[], offset: number): number {
  let lo = 0;
  let hi = statements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = statements[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** With AIBOS_TIMING set, each visitor and hook counts its time towards its rule. */
function timed(ruleId: string, visitors: RuleVisitors): RuleVisitors {
  if (!timing) return visitors;
  const out: RuleVisitors = {};
  for (const [key, fn] of Object.entries(visitors)) if (fn) out[key] = timing.wrap(ruleId, fn);
  return out;
}
