import { SERIAL_TYPES } from '../src/catalog/catalog.js';
import { alterCommands, altersTable, liveTableKey, sqlIdent, typeNameOf, writtenName } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';

/** The column a `CHECK (col IS NOT NULL)` constrains, if that is all the check says. */
function notNullCheckColumn(con: AstNode): string | undefined {
  const test = con?.raw_expr?.NullTest;
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields: AstNode[] = test.arg?.ColumnRef?.fields ?? [];
  const last = fields[fields.length - 1]?.String?.sval;
  return last ? String(last) : undefined;
}

/** Does this new column get a value for existing rows (default, identity, generated, serial)? */
function fillsExistingRows(def: AstNode): boolean {
  if (SERIAL_TYPES.has(typeNameOf(def.typeName))) return true;
  return (def.constraints ?? []).some((c: AstNode) => ['CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(c?.Constraint?.contype));
}

function declaresNotNull(def: AstNode): boolean {
  return (def.constraints ?? []).some((c: AstNode) => c?.Constraint?.contype === 'CONSTR_NOTNULL' || c?.Constraint?.contype === 'CONSTR_PRIMARY');
}

export default createRule({
  meta: {
    id: 'adding-not-nullable-field',
    level: 'warn',
    category: 'safety',
    summary: 'SET NOT NULL on a column of an existing table; ADD COLUMN … NOT NULL without a default on an existing table.',
  },
  create(context) {
    // Over the whole history: `CHECK (col IS NOT NULL)` constraints by `table/name`, and the
    // `table.column`s such a check has proven (validated), which lets SET NOT NULL skip its scan.
    const notNullChecks = new Map<string, string>();
    const proven = new Set<string>();
    return {
      'run:start'() {
        notNullChecks.clear();
        proven.clear();
      },
      AlterTableStmt(node) {
        if (!altersTable(node) || !node.relation) return;
        const tableKey = context.catalog.keyOf(node.relation);
        const key = liveTableKey(context, node.relation);
        const table = writtenName(node.relation);
        for (const cmd of alterCommands(node)) {
          if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_CHECK') {
            const column = notNullCheckColumn(cmd.def.Constraint);
            if (!column || context.file.role !== 'up') continue;
            if (cmd.def.Constraint.conname) notNullChecks.set(`${tableKey}/${cmd.def.Constraint.conname}`, column);
            if (!cmd.def.Constraint.skip_validation) proven.add(`${tableKey}.${column}`);
          } else if (cmd.subtype === 'AT_ValidateConstraint') {
            const column = notNullChecks.get(`${tableKey}/${cmd.name}`);
            if (column && context.file.role === 'up') proven.add(`${tableKey}.${column}`);
          } else if (cmd.subtype === 'AT_SetNotNull' && key) {
            const column = String(cmd.name);
            if (proven.has(`${key}.${column}`)) continue;
            context.report({
              wholeStatement: true,
              message: `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock, blocking reads and writes`,
              help: `first \`ALTER TABLE ${table} ADD CONSTRAINT ${sqlIdent(`${cmd.name}_not_null`)} CHECK (${sqlIdent(cmd.name)} IS NOT NULL) NOT VALID\`, validate it in a later migration (\`VALIDATE CONSTRAINT ${sqlIdent(`${cmd.name}_not_null`)}\`), then SET NOT NULL skips the scan`,
            });
          } else if (cmd.subtype === 'AT_AddColumn' && key) {
            const def = cmd.def?.ColumnDef;
            if (!def || !declaresNotNull(def) || fillsExistingRows(def)) continue;
            context.report({
              node: def,
              message: `ADD COLUMN ${def.colname} NOT NULL without a default on ${table}, which already exists: it fails as soon as the table has a row`,
              help: `give it a constant default (\`ADD COLUMN ${sqlIdent(String(def.colname))} ... NOT NULL DEFAULT <value>\`), or add it nullable, backfill, and set NOT NULL later`,
            });
          }
        }
      },
    };
  },
});
