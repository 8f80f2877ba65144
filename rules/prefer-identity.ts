import { declaredColumns, sqlIdent, typeNameOf, writtenName } from '../src/lint/ast.js';
import { createRule, type AstNode, type VisitInfo } from '../src/lint/types.js';

const SERIAL: Record<string, string> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

export default createRule({
  meta: {
    id: 'prefer-identity',
    level: 'shadow',
    category: 'safety',
    summary: '`serial` / `bigserial` columns instead of identity columns.',
  },
  create(context) {
    const check = (node: AstNode, { statement }: VisitInfo) => {
      if (context.file.role === 'down' || statement.node !== node) return;
      for (const column of declaredColumns(statement.kind, node)) {
        const type = typeNameOf(column.typeName);
        const base = SERIAL[type];
        if (!base) continue;
        const wanted = base === 'integer' ? 'bigint' : base;
        context.report({
          node: column.typeName,
          message: `${writtenName(column.relation)}.${column.name} is ${type}: its sequence is a separate object with its own grants and ownership`,
          help: `declare it \`${sqlIdent(column.name)} ${wanted} GENERATED ALWAYS AS IDENTITY\` (standard SQL; the sequence follows the column)`,
        });
      }
    };
    return { CreateStmt: check, AlterTableStmt: check };
  },
});
