import { displayKey, dropObjectNames, nameOffset, qualify, sqlIdent, sqlKey } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'ban-drop-table',
    level: 'block',
    category: 'governance',
    summary: 'DROP TABLE of a table not created in the same file.',
  },
  create(context) {
    return {
      DropStmt(node, info) {
        if (info.statement.node !== node || (node.removeType !== 'OBJECT_TABLE' && node.removeType !== 'OBJECT_FOREIGN_TABLE')) return;
        for (const parts of dropObjectNames(node)) {
          const key = qualify(parts, context.catalog);
          if (key.startsWith('pg_temp.') || context.createdInFile(key)) continue;
          // A down file's job is to drop what its up created.
          if (context.file.role === 'down' && context.createdByUp(key)) continue;
          const created = context.catalog.table(key)?.origin.file;
          context.report({
            offset: nameOffset(context, info.statement, parts[parts.length - 1]!),
            message: `DROP TABLE ${displayKey(key)} deletes a table ${created ? `created by ${created}` : 'that these migrations did not create'}, and all its rows`,
            help: context.file.role === 'down'
              ? `a down file may drop only what its own up created; ${displayKey(key)} belongs to another migration`
              : `rename it out of the way (\`ALTER TABLE ${sqlKey(key)} RENAME TO ${sqlIdent(`${parts[parts.length - 1]}_deprecated`)}\`) and drop it in a reviewed cleanup once nothing reads it`,
          });
        }
      },
    };
  },
});
