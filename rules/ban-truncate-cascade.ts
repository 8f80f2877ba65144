import { writtenName } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'ban-truncate-cascade',
    level: 'block',
    category: 'safety',
    summary: 'TRUNCATE … CASCADE, which also empties every table that references the named ones.',
  },
  create(context) {
    return {
      TruncateStmt(node) {
        if (node.behavior !== 'DROP_CASCADE') return;
        const tables = (node.relations ?? []).map((r: { RangeVar?: unknown }) => writtenName(r.RangeVar)).join(', ');
        context.report({
          wholeStatement: true,
          message: `TRUNCATE ${tables} CASCADE also empties every table with a foreign key to ${tables}, recursively`,
          help: `name every table to empty explicitly (\`TRUNCATE ${tables}, <referencing tables>\`), so the reviewer sees what is deleted`,
        });
      },
    };
  },
});
