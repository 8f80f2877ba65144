import { SERIAL_TYPES } from '../src/catalog/catalog.js';
import { alterCommands, liveAlteredTable, typeNameOf, names } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';

/**
 * Built-in functions whose value differs per row: as a default of a new column they force
 * Postgres to rewrite the table. Stable ones (now(), current_timestamp) are evaluated once
 * and stored as the column's "missing value" on PG 11+, so they stay fast.
 */
const VOLATILE = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'gen_random_bytes',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setseed',
]);


/** The first volatile function called anywhere in `expr`. */
function volatileCall(expr: AstNode): string | undefined {
  if (Array.isArray(expr)) {
    for (const item of expr) {
      const found = volatileCall(item);
      if (found) return found;
    }
    return undefined;
  }
  if (expr === null || typeof expr !== 'object') return undefined;
  if (expr.FuncCall) {
    const name = names(expr.FuncCall.funcname).at(-1)?.toLowerCase();
    if (name && VOLATILE.has(name)) return `${name}()`;
  }
  for (const key in expr) {
    const found = volatileCall(expr[key]);
    if (found) return found;
  }
  return undefined;
}

/** Why adding this column rewrites the table, if it does. */
function rewriteReason(def: AstNode): string | undefined {
  const type = typeNameOf(def.typeName);
  if (SERIAL_TYPES.has(type)) return `is ${type}, whose default nextval() is volatile`;
  for (const item of def.constraints ?? []) {
    const con = item?.Constraint;
    if (con?.contype === 'CONSTR_DEFAULT') {
      const call = volatileCall(con.raw_expr);
      if (call) return `has the volatile default ${call}`;
    } else if (con?.contype === 'CONSTR_GENERATED') return 'is a stored generated column';
    else if (con?.contype === 'CONSTR_IDENTITY') return 'is an identity column';
  }
  return undefined;
}

export default createRule({
  meta: {
    id: 'adding-field-with-default',
    level: 'warn',
    category: 'safety',
    summary: 'ADD COLUMN with a volatile default, serial, identity or stored generated column on an existing table (a full rewrite).',
  },
  create(context) {
    return {
      AlterTableStmt(node) {
        const live = liveAlteredTable(context, node);
        if (!live) return;
        const { table } = live;
        for (const cmd of alterCommands(node)) {
          const def = cmd.subtype === 'AT_AddColumn' ? cmd.def?.ColumnDef : undefined;
          if (!def) continue;
          const reason = rewriteReason(def);
          if (!reason) continue;
          context.report({
            node: def,
            message: `new column ${table}.${def.colname} ${reason}: Postgres rewrites the whole table under an ACCESS EXCLUSIVE lock`,
            help: `add the column without a default (or with a constant one), set the default in a separate statement (\`ALTER TABLE ${table} ALTER COLUMN ${def.colname} SET DEFAULT ...\`), and backfill existing rows in batches`,
          });
        }
      },
    };
  },
});
