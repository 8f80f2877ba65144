/**
 * Change classes of a migration (standard §9.3), read from its parsed AST.
 * Pure: no database, no config. The guardrails decide what each class needs.
 */
import type { ChangeClass } from '../config/types.js';
import type { AstNode, Statement } from '../sql/parse.js';

/** Every class, in the order messages and tables list them. */
export const CHANGE_CLASSES: readonly ChangeClass[] = [
  'create-table',
  'add-column',
  'add-index',
  'drop-column',
  'drop-table',
  'alter-column-type',
  'add-constraint',
  'rename',
  'rls-policy',
  'function',
  'data-change',
  'other',
];

/** One classified change: which statement, where, and on what. */
export interface Change {
  class: ChangeClass;
  /** Index of the statement in the file. */
  statementIndex: number;
  /** 1-based line of the statement's first token. */
  line: number;
  /** `schema.table` (or the object) it touches, when there is one. */
  target?: string;
}

export interface Classification {
  /** Distinct classes, in CHANGE_CLASSES order. */
  readonly classes: readonly ChangeClass[];
  readonly changes: readonly Change[];
}

/** Statements that change neither schema nor data: session settings and transaction control. */
const INERT = new Set(['VariableSetStmt', 'VariableShowStmt', 'TransactionStmt', 'CommentStmt', 'CheckPointStmt', 'DiscardStmt']);

/**
 * Classes that describe a change to an existing table. When the table was
 * created earlier in the same file there is nothing existing to protect: the
 * index, column or policy is part of creating it, so it counts as create-table.
 */
const FOLDS_INTO_CREATE = new Set<ChangeClass>(['add-column', 'add-index', 'add-constraint', 'alter-column-type', 'drop-column', 'rename', 'rls-policy', 'data-change']);

/** Constraints that ADD COLUMN can carry inline and that are real table constraints (not NOT NULL/DEFAULT). */
const TABLE_CONSTRAINTS = new Set(['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_FOREIGN', 'CONSTR_CHECK', 'CONSTR_EXCLUSION']);

function tableKey(rv: AstNode): string | undefined {
  if (!rv?.relname) return undefined;
  const schema = rv.schemaname ? String(rv.schemaname).toLowerCase() : rv.relpersistence === 't' ? 'pg_temp' : 'public';
  return `${schema}.${String(rv.relname).toLowerCase()}`;
}

function dottedName(list: AstNode): string {
  const items: AstNode[] = list?.List?.items ?? (list?.String ? [list] : list?.TypeName?.names ?? []);
  return items.map((n: AstNode) => n?.String?.sval ?? '').filter(Boolean).join('.');
}

/** `kernel.users.tenant_isolation` -> `kernel.users`; `users.p` -> `public.users`. */
function tableOfMember(dotted: string): string {
  const parts = dotted.toLowerCase().split('.').slice(0, -1);
  return parts.length === 1 ? `public.${parts[0]}` : parts.join('.');
}

type Found = { class: ChangeClass; target?: string };

function alterTableCmd(cmd: AstNode, target: string | undefined): Found[] {
  switch (cmd?.subtype) {
    case 'AT_AddColumn':
    case 'AT_AddColumnToView': {
      const out: Found[] = [{ class: 'add-column', target }];
      const constraints: AstNode[] = cmd.def?.ColumnDef?.constraints ?? [];
      if (constraints.some((c) => TABLE_CONSTRAINTS.has(c?.Constraint?.contype))) out.push({ class: 'add-constraint', target });
      return out;
    }
    case 'AT_DropColumn':
      return [{ class: 'drop-column', target }];
    case 'AT_AlterColumnType':
      return [{ class: 'alter-column-type', target }];
    case 'AT_AddConstraint':
    case 'AT_AddIndexConstraint':
    case 'AT_ValidateConstraint':
    case 'AT_SetNotNull':
      // SET NOT NULL scans the table like a CHECK constraint does.
      return [{ class: 'add-constraint', target }];
    case 'AT_AddIndex':
      return [{ class: 'add-index', target }];
    case 'AT_EnableRowSecurity':
    case 'AT_DisableRowSecurity':
    case 'AT_ForceRowSecurity':
    case 'AT_NoForceRowSecurity':
      return [{ class: 'rls-policy', target }];
    default:
      return [{ class: 'other', target }];
  }
}

function dropStmt(node: AstNode): Found[] {
  const objects: AstNode[] = node.objects ?? [];
  const targets = objects.map(dottedName);
  const cascade = node.behavior === 'DROP_CASCADE';
  const each = (cls: ChangeClass): Found[] => (targets.length ? targets.map((t) => ({ class: cls, target: t })) : [{ class: cls }]);
  switch (node.removeType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE':
      return each('drop-table');
    case 'OBJECT_SCHEMA':
      // Only CASCADE can take tables with it; an empty schema is just a name.
      return each(cascade ? 'drop-table' : 'other');
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      // CASCADE drops every column of that type.
      return each(cascade ? 'drop-column' : 'other');
    case 'OBJECT_POLICY':
      // `DROP POLICY p ON t`: the object list is [schema,] table, policy; the table is what it touches.
      return targets.map((t) => ({ class: 'rls-policy' as const, target: tableOfMember(t) }));
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE':
    case 'OBJECT_AGGREGATE':
    case 'OBJECT_TRIGGER':
    case 'OBJECT_EVENT_TRIGGER':
      return each('function');
    default:
      return each('other');
  }
}

/** The classes of one statement (a statement can carry several, e.g. ALTER TABLE with many commands). */
export function classifyStatement(statement: Pick<Statement, 'kind' | 'node'>): Found[] {
  const node = statement.node;
  switch (statement.kind) {
    case 'CreateStmt':
    case 'CreateForeignTableStmt':
      return [{ class: 'create-table', target: tableKey(node.relation ?? node.base?.relation) }];
    case 'CreateTableAsStmt':
      if (node.objtype === 'OBJECT_MATVIEW') return [{ class: 'other', target: tableKey(node.into?.rel) }];
      return [{ class: 'create-table', target: tableKey(node.into?.rel) }];
    case 'SelectStmt':
      // SELECT … INTO new_table creates a table; any other SELECT reads (or calls a function: other).
      return node.intoClause ? [{ class: 'create-table', target: tableKey(node.intoClause.rel) }] : [{ class: 'other' }];
    case 'AlterTableStmt': {
      const target = tableKey(node.relation);
      if (node.objtype && node.objtype !== 'OBJECT_TABLE' && node.objtype !== 'OBJECT_FOREIGN_TABLE') return [{ class: 'other', target }];
      return (node.cmds ?? []).flatMap((c: AstNode) => alterTableCmd(c?.AlterTableCmd, target));
    }
    case 'IndexStmt':
      return [{ class: 'add-index', target: tableKey(node.relation) }];
    case 'DropStmt':
      return dropStmt(node);
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt':
      return [{ class: 'rename', target: tableKey(node.relation) }];
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return [{ class: 'rls-policy', target: tableKey(node.table) }];
    case 'CreateFunctionStmt':
    case 'AlterFunctionStmt':
    case 'CreateTrigStmt':
    case 'CreateEventTrigStmt':
      return [{ class: 'function', target: node.relation ? tableKey(node.relation) : undefined }];
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return [{ class: 'data-change', target: tableKey(node.relation) }];
    case 'CopyStmt':
      return node.is_from ? [{ class: 'data-change', target: tableKey(node.relation) }] : [{ class: 'other' }];
    case 'TruncateStmt':
      return (node.relations ?? []).map((r: AstNode) => ({ class: 'data-change' as const, target: tableKey(r?.RangeVar) }));
    default:
      return INERT.has(statement.kind) ? [] : [{ class: 'other' }];
  }
}

/** Worked out once per file: `migrate up` asks in its guardrails and again in its report, `approve` twice. */
const classified = new WeakMap<readonly Statement[], Classification>();

/** Classifies every statement of a migration (its `parsed.statements`). */
export function classifyMigration(statements: readonly Statement[]): Classification {
  let found = classified.get(statements);
  if (!found) classified.set(statements, (found = classifyStatements(statements)));
  return found;
}

function classifyStatements(statements: readonly Statement[]): Classification {
  const createdHere = new Set<string>();
  const changes: Change[] = [];
  for (const statement of statements) {
    for (const found of classifyStatement(statement)) {
      let cls = found.class;
      if (cls === 'create-table' && found.target) createdHere.add(found.target);
      else if (FOLDS_INTO_CREATE.has(cls) && found.target && createdHere.has(found.target)) cls = 'create-table';
      changes.push({ class: cls, statementIndex: statement.index, line: statement.span.line, target: found.target });
    }
  }
  const present = new Set(changes.map((c) => c.class));
  return { classes: CHANGE_CLASSES.filter((c) => present.has(c)), changes };
}
