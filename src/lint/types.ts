import type { Catalog } from '../catalog/catalog.js';
import type { CatalogTable } from '../catalog/model.js';
import type { Level, ResolvedConfig } from '../config/types.js';
import type { MigrationFile, MigrationSet } from '../migrations/files.js';
import type { AstNode, Statement } from '../sql/parse.js';
import type { SumFile } from '../migrations/sum.js';

export type { AstNode, Statement, MigrationFile, Catalog, Level };

export type ActiveLevel = Exclude<Level, 'off'>;
export type RuleCategory = 'syntax' | 'governance' | 'safety';

export interface RuleMeta {
  /** kebab-case id; users write it in config and in `-- aibos-ack`. */
  id: string;
  /** Default level. */
  level: ActiveLevel;
  /** Default level per environment name (e.g. `{ prod: 'block' }`), below config in precedence. */
  envLevels?: Record<string, ActiveLevel>;
  category: RuleCategory;
  /** One line: what the rule flags. */
  summary: string;
  /** Default options, merged under the config's `[level, options]`. */
  defaultOptions?: Record<string, unknown>;
  /**
   * JSON schema of the options object, checked when the rules are loaded (src/lint/rule-options.ts).
   * Without one, the rule takes the keys of `defaultOptions` (none without those), of any type.
   */
  optionsSchema?: OptionsSchema;
}

/**
 * A JSON schema. `type`, `items`, `properties`, `additionalProperties: false` and `enum` are checked
 * without ajv (importing it costs more than a one-file lint); a schema using anything else is compiled by ajv.
 */
export interface OptionsSchema {
  type?: string;
  items?: OptionsSchema;
  properties?: Record<string, OptionsSchema>;
  additionalProperties?: boolean | OptionsSchema;
  enum?: unknown[];
  [keyword: string]: unknown;
}

export interface Diagnostic {
  ruleId: string;
  level: ActiveLevel;
  message: string;
  help?: string;
  /** Relative to the working directory, `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  acknowledged: boolean;
  /** The reason given by the `aibos-ack` that acknowledged it. */
  ackReason?: string;
}

export interface ReportDescriptor {
  message: string;
  help?: string;
  /** Anchor: an AST node with a `location`, a byte offset, or nothing (the statement, or line 1 of the file). */
  node?: AstNode;
  offset?: number;
  /** Byte offset where the highlighted span ends (default: the end of the token at the anchor). */
  endOffset?: number;
  /** Highlight the whole current statement. */
  wholeStatement?: boolean;
  /** Report on another file than the current one (run-level rules). */
  file?: MigrationFile | string;
}

export interface VisitInfo {
  statement: Statement;
}

export interface RuleContext<Options = Record<string, unknown>> {
  readonly ruleId: string;
  readonly options: Options;
  readonly config: ResolvedConfig;
  /** Environment name in force (`--env`, else `defaultEnv`). */
  readonly env: string;
  /** Every file of this run, in migration order. */
  readonly migrations: MigrationSet;
  /** The migrations folder's files when this run covers files inside it (for whole-folder checks). */
  readonly migrationDir?: MigrationDirInfo;
  /** `--base` git ref, when given: files as they were at the ref, by relative path. */
  readonly base?: BaseSnapshot;
  /** The file being visited (undefined in `run:start` / `run:end`). */
  readonly file: MigrationFile;
  /** Schema state before the current statement (for a down file: after its up, on a scratch copy). */
  readonly catalog: Catalog;
  /** Schema state at the end of the whole history. */
  readonly final: Catalog;
  /** Was this table created by the current file (and still exists)? */
  createdInFile(tableKey: string): boolean;
  /** Did this table exist before the current file started? */
  existedBeforeFile(tableKey: string): boolean;
  /** Tables the current file's up pair created (for down files). */
  createdByUp(tableKey: string): boolean;
  /** Tables the current file created or changed so far (at `file:end`: by the whole file). */
  tablesTouchedInFile(): CatalogTable[];
  /** Tables the current file created so far and that still exist (at `file:end`: by the whole file). */
  tablesCreatedInFile(): CatalogTable[];
  /** The file of this run at a relative path (an object's `origin.file`), found through an index. */
  fileAt(relPath: string): MigrationFile | undefined;
  /** `kernel.tenants` and friends: exempt from tenancy rules. */
  isGlobalTable(tableKey: string): boolean;
  report(descriptor: ReportDescriptor): void;
}

export interface MigrationDirInfo {
  /** Absolute path of the migrations folder. */
  path: string;
  /** Relative to the working directory, `/` separators. */
  relPath: string;
  /** The folder's own `.sql` files (not recursive). */
  files: MigrationFile[];
  /** Parsed `aibos.sum`, when present. */
  sum?: SumFile;
}

export interface BaseSnapshot {
  ref: string;
  /** Relative path -> checksum at the ref, for migration files that existed there. */
  files: Map<string, { checksum: string; name: string }>;
}

type Visitor = (node: AstNode, info: VisitInfo) => void;

/**
 * Visitors keyed by AST node type (`CreateStmt`, `ColumnDef`, `FuncCall`…), called for every
 * such node of every statement before the statement is replayed into the catalog, plus
 * lifecycle hooks.
 */
export interface RuleVisitors {
  'run:start'?: () => void;
  'file:start'?: () => void;
  'file:end'?: () => void;
  'run:end'?: () => void;
  [nodeType: string]: Visitor | (() => void) | undefined;
}

export interface Rule<Options = Record<string, unknown>> {
  meta: RuleMeta;
  create(context: RuleContext<Options>): RuleVisitors;
}

/** Typed helper for rule modules. */
export function createRule<Options = Record<string, unknown>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}

export interface LintSummary {
  files: number;
  block: number;
  warn: number;
  shadow: number;
  acknowledged: number;
  failed: boolean;
}

export interface LintResult {
  summary: LintSummary;
  diagnostics: Diagnostic[];
  /** Sources by relative path, for code frames. */
  sources: Map<string, MigrationFile>;
  rules: Rule[];
}
