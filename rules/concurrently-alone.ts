import { alterCommands } from '../src/lint/ast.js';
import { createRule, type AstNode, type Statement } from '../src/lint/types.js';

/** What a statement does CONCURRENTLY, or undefined when it does nothing concurrently. */
function concurrentAction(stmt: Statement): string | undefined {
  const node: AstNode = stmt.node;
  switch (stmt.kind) {
    case 'IndexStmt':
      return node.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return node.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      return (node.params ?? []).some((p: AstNode) => p?.DefElem?.defname === 'concurrently') ? 'REINDEX CONCURRENTLY' : undefined;
    case 'RefreshMatViewStmt':
      return node.concurrent ? 'REFRESH MATERIALIZED VIEW CONCURRENTLY' : undefined;
    case 'AlterTableStmt':
      return alterCommands(node).some((c) => c.subtype === 'AT_DetachPartition' && c.def?.PartitionCmd?.concurrent) ? 'DETACH PARTITION CONCURRENTLY' : undefined;
    default:
      return undefined;
  }
}

export default createRule({
  meta: {
    id: 'concurrently-alone',
    level: 'block',
    category: 'safety',
    summary: 'A CONCURRENTLY statement in a file with any other statement.',
  },
  create(context) {
    return {
      'file:start'() {
        const statements = context.file.parsed.statements;
        if (statements.length < 2) return;
        for (const stmt of statements) {
          const action = concurrentAction(stmt);
          if (!action) continue;
          context.report({
            offset: stmt.start,
            endOffset: stmt.end,
            message: `${action} shares its file with ${statements.length - 1} other statement${statements.length > 2 ? 's' : ''}: it cannot run inside a transaction, so the runner applies such a file without one`,
            help: 'move it to its own migration file holding only this statement, so a failure leaves nothing half-applied',
          });
        }
      },
    };
  },
});
