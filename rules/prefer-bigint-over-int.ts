import { names, alterCommands, declaredColumns, sqlIdent, typeNameOf, writtenName } from '../src/lint/ast.js';
import { createRule, type AstNode, type VisitInfo } from '../src/lint/types.js';

/** 32-bit integer types, as the parser and catalog name them (smallint keys of small lookup tables are deliberate). */
const SMALL_INT: Record<string, string> = {
  int4: 'integer',
  integer: 'integer',
  int: 'integer',
  serial: 'serial',
  serial4: 'serial',
};

function keyKind(con: AstNode): 'primary key' | 'foreign key' | undefined {
  if (con?.contype === 'CONSTR_PRIMARY') return 'primary key';
  if (con?.contype === 'CONSTR_FOREIGN') return 'foreign key';
  return undefined;
}

export default createRule({
  meta: {
    id: 'prefer-bigint-over-int',
    level: 'shadow',
    category: 'safety',
    summary: '`int` / `integer` / `serial` primary or foreign key columns (they run out at 2^31).',
  },
  create(context) {
    const check = (node: AstNode, { statement }: VisitInfo) => {
      if (context.file.role === 'down' || statement.node !== node) return;
      const relation = node.relation;
      const tableKey = relation ? context.catalog.keyOf(relation) : '';
      // Columns declared here, then key columns from column and table constraints.
      const declared = new Map(declaredColumns(statement.kind, node).filter((c) => !c.retyped).map((c) => [c.name, c]));
      const keyed = new Map<string, 'primary key' | 'foreign key'>();
      for (const column of declared.values()) {
        for (const c of column.def?.constraints ?? []) {
          const kind = keyKind(c?.Constraint);
          if (kind && !keyed.has(column.name)) keyed.set(column.name, kind);
        }
      }
      const tableConstraints: AstNode[] =
        statement.kind === 'CreateStmt'
          ? (node.tableElts ?? []).map((e: AstNode) => e?.Constraint).filter(Boolean)
          : alterCommands(node).filter((c) => c.subtype === 'AT_AddConstraint').map((c) => c.def?.Constraint).filter(Boolean);
      for (const con of tableConstraints) {
        const kind = keyKind(con);
        if (!kind) continue;
        for (const col of names(kind === 'primary key' ? con.keys : con.fk_attrs)) if (!keyed.has(col)) keyed.set(col, kind);
      }
      for (const [name, kind] of keyed) {
        const column = declared.get(name);
        const type = column ? typeNameOf(column.typeName) : context.catalog.table(tableKey)?.columns.get(name)?.type;
        const written = type ? SMALL_INT[type] : undefined;
        if (!written) continue;
        const big = written === 'serial' ? 'bigint GENERATED ALWAYS AS IDENTITY' : 'bigint';
        context.report({
          ...(column ? { node: column.typeName } : { wholeStatement: true }),
          message: `${kind} column ${writtenName(relation)}.${name} is ${written}: it runs out at 2,147,483,647 values, and widening it later rewrites the table and every referencing one`,
          help: `declare it \`${sqlIdent(name)} ${big}\` now${kind === 'foreign key' ? ' (and the key it references)' : ''}, or use uuid`,
        });
      }
    };
    return { CreateStmt: check, AlterTableStmt: check };
  },
});
