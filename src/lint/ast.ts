/**
 * Helpers shared by the rules: reading names and types out of libpg-query nodes, and (for the safety
 * rules) telling a relation already live in the database, holding rows and serving traffic, from one
 * this migration just created.
 */
import { dropObjectNames, names, qualify, typeOf } from '../catalog/catalog.js';
import type { CatalogIndex, CatalogTable } from '../catalog/model.js';
import { findIdentifier, longIdentifiers, nameEnd, type LongIdentifier } from '../sql/lexer.js';
import { sqlIdent } from '../sql/ident.js';
import type { AstNode, RuleContext, Statement, VisitInfo } from './types.js';

export { dropObjectNames, names, qualify, sqlIdent, typeOf };

/** `schema.name` as written, or undefined schema when unqualified. */
export function rangeVarName(rv: AstNode): { schema?: string; name: string } {
  return { schema: rv?.schemaname ? String(rv.schemaname) : undefined, name: String(rv?.relname ?? '') };
}

export function displayKey(key: string): string {
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

/**
 * Tables the tenancy rules ignore: configured global tables, TEMP tables, and
 * partitions whose parent satisfies `compliant` (the parent carries the rule).
 */
export function tenancyExempt(context: RuleContext<unknown>, table: CatalogTable, compliant: (t: CatalogTable) => boolean): boolean {
  if (table.persistence === 'temp' || context.isGlobalTable(table.key)) return true;
  if (table.partitionOf) {
    const parent = context.catalog.table(table.partitionOf);
    if (!parent || compliant(parent)) return true;
  }
  return false;
}

/**
 * For rules that judge a table at the end of the file that creates it: which tables a later up file took
 * out of compliance (a dropped NOT NULL or default, a renamed, retyped or dropped column), each with the
 * first statement of the file that altered it. Tables that never complied were reported when created and
 * are not reported again. Feed it the file's top-level ALTER TABLE and RENAME statements with `note`, and
 * call `check` at every up file's end.
 */
export function complianceLost(context: RuleContext<unknown>, compliant: (t: CatalogTable) => boolean) {
  const met = new Set<string>();
  let file: unknown;
  const alteredAt = new Map<string, number>();
  return {
    note(node: AstNode, info: VisitInfo): void {
      if (info.statement.node !== node || !node.relation) return;
      if (file !== context.file) {
        file = context.file;
        alteredAt.clear();
      }
      const key = context.catalog.keyOf(node.relation);
      if (!alteredAt.has(key)) alteredAt.set(key, info.statement.start);
    },
    check(): { table: CatalogTable; offset: number }[] {
      const lost: { table: CatalogTable; offset: number }[] = [];
      const altered = file === context.file ? alteredAt : new Map<string, number>();
      for (const table of context.tablesTouchedInFile()) {
        if (tenancyExempt(context, table, compliant)) continue;
        const ok = compliant(table);
        // A renamed table keeps its state under its new key; its ALTER was noted under the old one.
        const offset = altered.get(table.key) ?? (altered.size ? Math.min(...altered.values()) : undefined);
        if (!ok && met.has(table.key) && !context.createdInFile(table.key) && offset !== undefined) lost.push({ table, offset });
        if (ok) met.add(table.key);
        else met.delete(table.key);
      }
      return lost;
    },
  };
}

/** Objects that belong to a table, which SQL names `name ON table` (DROP's parts are `[schema, table, name]`). */
export const TABLE_MEMBER_OBJECTS: ReadonlySet<string> = new Set(['OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_RULE']);

/** Bookkeeping columns every table carries; they say nothing about what a table is. */
export const AUDIT_COLUMNS = new Set(['id', 'tenant_id', 'created_at', 'updated_at', 'deleted_at']);

/** English singular of a lower-case table-name word: `categories` -> `category`, `boxes` -> `box`, `users` -> `user`. */
export function singular(word: string): string {
  // Memoised: rules call it for every table at every file's end (a third of a corpus lint's time).
  let result = singulars.get(word);
  if (result === undefined) {
    result = singularOf(word);
    singulars.set(word, result);
  }
  return result;
}

const singulars = new Map<string, string>();

/** English plurals no suffix rule undoes, as table names use them. */
const IRREGULAR: Record<string, string> = { people: 'person', children: 'child', men: 'man', women: 'woman', mice: 'mouse', geese: 'goose', teeth: 'tooth', feet: 'foot', criteria: 'criterion', indices: 'index', matrices: 'matrix', vertices: 'vertex', analyses: 'analysis' };

function singularOf(word: string): string {
  const whole = IRREGULAR[word];
  if (whole) return whole;
  // `tenant_people`: the last word of a compound name.
  for (const [plural, one] of Object.entries(IRREGULAR)) if (word.endsWith(`_${plural}`)) return word.slice(0, -plural.length) + one;
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

// ── Live or new relations (the safety rules) ─────────────────────────────────

/**
 * True when the table is new in this file (created by it) or session-local (TEMP): locking or
 * rewriting it harms nobody. A table the catalog has never seen counts as live — when only some
 * files are linted, the rest of the history is already in the database.
 */
export function isNewRelation(context: RuleContext<unknown>, key: string): boolean {
  if (key.startsWith('pg_temp.')) return true;
  const table = context.catalog.table(key);
  if (table?.persistence === 'temp') return true;
  return context.createdInFile(key);
}

/** The catalog key of a RangeVar when that table is live before this file, else undefined. */
export function liveTableKey(context: RuleContext<unknown>, rangeVar: AstNode): string | undefined {
  if (!rangeVar) return undefined;
  if (rangeVar.relpersistence === 't') return undefined;
  const key = context.catalog.keyOf(rangeVar);
  return isNewRelation(context, key) ? undefined : key;
}

/** An ALTER TABLE on a plain table that was live before this file: its catalog key and its name as written. */
export function liveAlteredTable(context: RuleContext<unknown>, node: AstNode): { key: string; table: string } | undefined {
  if (!altersTable(node)) return undefined;
  const key = liveTableKey(context, node.relation);
  return key === undefined ? undefined : { key, table: writtenName(node.relation) };
}

/** Resolves an index named in DROP INDEX (`[schema, name]` or `[name]`) the way the catalog does. */
export function findIndex(context: RuleContext<unknown>, parts: string[]): CatalogIndex | undefined {
  const key = context.catalog.indexKey(parts);
  return key === undefined ? undefined : context.catalog.state.indexes.get(key);
}

/** An index built by this file, or (for a down file) by its up: dropping it touches nothing live. */
export function indexIsNew(context: RuleContext<unknown>, index: CatalogIndex): boolean {
  const file = context.file;
  if (index.origin.file === file.relPath) return true;
  if (file.role === 'down' && file.pair && index.origin.file === file.pair.relPath) return true;
  return isNewRelation(context, index.table);
}

/** `schema.name` as the user wrote it (quoted where SQL needs quotes: `public."User"`). */
export function writtenName(rangeVar: AstNode): string {
  return [rangeVar?.schemaname, rangeVar?.relname].filter(Boolean).map(String).map(sqlIdent).join('.');
}

/**
 * Names from config (`tenancy.globalTables`, rule options) as a set to look identifiers up in: each as
 * written (a quoted `"stripeId"`) and as Postgres folds it unquoted (`Stripe_ID` is stripe_id).
 */
export function configNames(names: readonly unknown[] | undefined): Set<string> {
  const out = new Set<string>();
  for (const n of names ?? []) out.add(String(n)).add(String(n).toLowerCase());
  return out;
}

/** A catalog key (`schema.name`) as SQL spells it, for the statements help texts suggest. */
export function sqlKey(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? sqlIdent(key) : `${sqlIdent(key.slice(0, dot))}.${sqlIdent(key.slice(dot + 1))}`;
}

/** Name parts of a qualified name list, joined for messages. */
export function joinedName(list: AstNode[] | undefined): string {
  return names(list).join('.');
}

/** The ALTER TABLE sub-commands of a statement node (the same array for the same node: a dozen rules ask in a row; do not change it). */
export function alterCommands(node: AstNode): AstNode[] {
  if (node === lastAlter) return lastCommands;
  const out: AstNode[] = [];
  for (const c of node.cmds ?? []) if (c?.AlterTableCmd) out.push(c.AlterTableCmd);
  lastAlter = node;
  lastCommands = out;
  return out;
}

let lastAlter: AstNode;
let lastCommands: AstNode[] = [];

/** Is this AlterTableStmt about a plain table (not an index, view, sequence or type)? */
export function altersTable(node: AstNode): boolean {
  return !node.objtype || node.objtype === 'OBJECT_TABLE';
}

export interface DeclaredColumn {
  /** Column name, lower case. */
  name: string;
  /** The `TypeName` node (its `location` points at the type as written). */
  typeName: AstNode;
  /** The `ColumnDef` (undefined for ALTER COLUMN … TYPE, which only carries a type). */
  def?: AstNode;
  relation: AstNode;
  /** `ALTER COLUMN … TYPE` rather than a new column. */
  retyped: boolean;
}

/** Columns a CREATE TABLE or ALTER TABLE statement declares a type for (the same array for the same node; do not change it). */
export function declaredColumns(kind: string, node: AstNode): DeclaredColumn[] {
  if (node === lastDeclaring && kind === lastDeclaringKind) return lastDeclared;
  lastDeclaring = node;
  lastDeclaringKind = kind;
  lastDeclared = columnsDeclared(kind, node);
  return lastDeclared;
}

let lastDeclaring: AstNode;
let lastDeclaringKind = '';
let lastDeclared: DeclaredColumn[] = [];

function columnsDeclared(kind: string, node: AstNode): DeclaredColumn[] {
  const out: DeclaredColumn[] = [];
  if (kind === 'CreateStmt') {
    for (const element of node.tableElts ?? []) {
      const def = element?.ColumnDef;
      // Columns of PARTITION OF / OF type carry no typeName: they inherit the parent's type.
      if (def?.typeName) out.push({ name: String(def.colname), typeName: def.typeName, def, relation: node.relation, retyped: false });
    }
  } else if (kind === 'AlterTableStmt' && altersTable(node)) {
    for (const cmd of alterCommands(node)) {
      const def = cmd.def?.ColumnDef;
      if (!def?.typeName) continue;
      if (cmd.subtype === 'AT_AddColumn') out.push({ name: String(def.colname), typeName: def.typeName, def, relation: node.relation, retyped: false });
      else if (cmd.subtype === 'AT_AlterColumnType') out.push({ name: String(cmd.name), typeName: def.typeName, relation: node.relation, retyped: true });
    }
  }
  return out;
}

/** Last part of a type name, lower case (`int4`, `timestamp`, `varchar`, `serial`). */
export function typeNameOf(typeName: AstNode): string {
  return (names(typeName?.names).at(-1) ?? '').toLowerCase();
}

/**
 * Byte offset where `name` is written in the statement, for names the parser gives without a position
 * (DROP's objects, a column in an ALTER TABLE subcommand); past the name at `after` when given (the
 * altered table's own name); the statement's start when it cannot be found.
 */
export function nameOffset(context: RuleContext<unknown>, statement: Statement, name: string, after?: number): number {
  const bytes = context.file.source.bytes;
  const at = findIdentifier(bytes, after === undefined ? statement.start : nameEnd(bytes, after), statement.end, name);
  return at < 0 ? statement.start : at;
}

/** Identifiers over 63 bytes in a statement's source, with what Postgres truncates them to. */
export function overlongIdentifiers(context: RuleContext<unknown>, statement: Statement): LongIdentifier[] {
  return longIdentifiers(context.file.parsed.source.bytes, statement.start, statement.end);
}
export type { LongIdentifier };

/**
 * Columns the current file added before the statement being visited: from the catalog for known
 * tables, and from the file's own ADD COLUMNs for tables the history never saw (created outside it).
 * Feed it every ALTER TABLE command with `note`; it forgets on the next file by itself.
 */
export function columnsAddedInFile(context: RuleContext<unknown>) {
  let file: unknown;
  const added = new Set<string>();
  const sync = () => {
    if (file !== context.file) {
      file = context.file;
      added.clear();
    }
  };
  return {
    note(key: string, cmd: AstNode): void {
      sync();
      if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef?.colname) added.add(`${key}.${String(cmd.def.ColumnDef.colname)}`);
    },
    has(key: string, column: string): boolean {
      sync();
      return added.has(`${key}.${column}`) || context.catalog.table(key)?.columns.get(column)?.origin.file === context.file.relPath;
    },
  };
}
