import { liveTableKey, writtenName } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'renaming-column',
    level: 'warn',
    category: 'safety',
    summary: 'RENAME COLUMN on a table that existed before this file.',
  },
  create(context) {
    return {
      RenameStmt(node, { statement }) {
        if (statement.node !== node || node.renameType !== 'OBJECT_COLUMN' || node.relationType !== 'OBJECT_TABLE') return;
        // A down file renames back what its up renamed: restoring the old name is its job.
        if (context.file.role === 'down') return;
        if (!liveTableKey(context, node.relation)) return;
        const table = writtenName(node.relation);
        context.report({
          wholeStatement: true,
          message: `renaming ${table}.${node.subname} to ${node.newname} breaks every query, view and running app instance that still uses ${node.subname}`,
          help: `add ${node.newname} as a new column, write both while code moves over, backfill, and drop ${node.subname} in a later release (or expose the new name through a view)`,
        });
      },
    };
  },
});
