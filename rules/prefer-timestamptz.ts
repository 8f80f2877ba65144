import { declaredColumns, sqlIdent, typeNameOf, writtenName } from '../src/lint/ast.js';
import { createRule, type AstNode, type VisitInfo } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'prefer-timestamptz',
    level: 'warn',
    category: 'safety',
    summary: '`timestamp` (without time zone) for a column.',
  },
  create(context) {
    const check = (node: AstNode, { statement }: VisitInfo) => {
      // A down file restores the columns as they were; the up that changed them was checked.
      if (context.file.role === 'down' || statement.node !== node) return;
      for (const column of declaredColumns(statement.kind, node)) {
        if (typeNameOf(column.typeName) !== 'timestamp') continue;
        const name = `${writtenName(column.relation)}.${column.name}`;
        context.report({
          node: column.typeName,
          message: `${name} is \`timestamp\` without time zone: its values mean different instants depending on the server's and client's TimeZone`,
          help: column.retyped
            ? `use \`timestamptz\` (\`ALTER COLUMN ${sqlIdent(column.name)} TYPE timestamptz\`)`
            : `declare it \`${sqlIdent(column.name)} timestamptz\`; it stores an absolute instant and costs the same 8 bytes`,
        });
      }
    };
    return { CreateStmt: check, AlterTableStmt: check };
  },
});
