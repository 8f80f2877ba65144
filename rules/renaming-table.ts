import { liveTableKey, writtenName } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'renaming-table',
    level: 'warn',
    category: 'safety',
    summary: 'ALTER TABLE … RENAME TO on a table that existed before this file.',
  },
  create(context) {
    return {
      RenameStmt(node, { statement }) {
        if (statement.node !== node || node.renameType !== 'OBJECT_TABLE') return;
        if (context.file.role === 'down') return;
        if (!liveTableKey(context, node.relation)) return;
        const table = writtenName(node.relation);
        context.report({
          wholeStatement: true,
          message: `renaming table ${table} to ${node.newname} breaks every query and running app instance that still uses ${table}`,
          help: `create the new table (or a view named ${node.newname} over ${table}), move the code over, and retire the old name in a later release`,
        });
      },
    };
  },
});
