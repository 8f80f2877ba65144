import { dropObjectNames } from '../src/catalog/catalog.js';
import { findIndex, indexIsNew } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'require-concurrent-index-deletion',
    level: 'warn',
    category: 'safety',
    summary: 'DROP INDEX without CONCURRENTLY on an index that existed before this file.',
  },
  create(context) {
    return {
      DropStmt(node) {
        if (node.removeType !== 'OBJECT_INDEX' || node.concurrent) return;
        const live = dropObjectNames(node).filter((parts) => {
          const index = findIndex(context, parts);
          return !index || !indexIsNew(context, index);
        });
        if (!live.length) return;
        const list = live.map((p) => p.join('.')).join(', ');
        context.report({
          wholeStatement: true,
          message: `DROP INDEX ${list} takes an ACCESS EXCLUSIVE lock on its table, blocking reads and writes while it waits and runs`,
          help: `drop it online, alone in its own migration file: \`DROP INDEX CONCURRENTLY IF EXISTS ${live[0]!.join('.')}\`${live.length > 1 ? ' (one index per statement)' : ''}`,
        });
      },
    };
  },
});
