import { declaredColumns, sqlIdent, typeNameOf, writtenName } from '../src/lint/ast.js';
import { createRule, type AstNode, type VisitInfo } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'prefer-text-field',
    level: 'shadow',
    category: 'safety',
    summary: '`varchar(n)`: changing the limit later takes a lock; a CHECK on `text` does not.',
  },
  create(context) {
    const check = (node: AstNode, { statement }: VisitInfo) => {
      if (context.file.role === 'down' || statement.node !== node) return;
      for (const column of declaredColumns(statement.kind, node)) {
        if (typeNameOf(column.typeName) !== 'varchar' || !(column.typeName.typmods ?? []).length) continue;
        context.report({
          node: column.typeName,
          message: `${writtenName(column.relation)}.${column.name} is varchar(n): changing the limit later takes an ACCESS EXCLUSIVE lock, and lowering it rewrites the table`,
          help: `declare it \`${sqlIdent(column.name)} text\` and, if the length matters, add \`CHECK (char_length(${sqlIdent(column.name)}) <= n)\`, which can be replaced NOT VALID without a rewrite`,
        });
      }
    };
    return { CreateStmt: check, AlterTableStmt: check };
  },
});
