import { liveTableKey, writtenName } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'require-where',
    level: 'block',
    category: 'safety',
    summary: 'UPDATE or DELETE without WHERE: every row of the table is changed.',
  },
  create(context) {
    const check = (verb: 'UPDATE' | 'DELETE', node: AstNode) => {
      // A table this file created (or a TEMP table) holds only what this file put there.
      if (node.whereClause || !liveTableKey(context, node.relation)) return;
      const table = writtenName(node.relation);
      context.report({
        node: node.relation,
        message: `${verb} on ${table} has no WHERE clause: it touches every row`,
        help:
          verb === 'DELETE'
            ? `add the WHERE clause you mean; to really empty ${table}, say so with \`DELETE FROM ${table} WHERE true\` and acknowledge it in review`
            : `add the WHERE clause you mean (a backfill can use \`WHERE <column> IS NULL\`, in batches on big tables); a deliberate full update can say \`WHERE true\``,
      });
    };
    return {
      UpdateStmt: (node) => check('UPDATE', node),
      DeleteStmt: (node) => check('DELETE', node),
    };
  },
});
