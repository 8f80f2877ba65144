import { createRule } from '../src/lint/types.js';

const VERBS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

export default createRule({
  meta: {
    id: 'transaction-nesting',
    level: 'block',
    category: 'safety',
    summary: 'BEGIN, COMMIT, ROLLBACK or SAVEPOINT in a migration: the runner owns the transaction.',
  },
  create(context) {
    return {
      // Only top-level statements: BEGIN … END blocks of plpgsql bodies are strings to the parser.
      TransactionStmt(node, { statement }) {
        if (statement.node !== node) return;
        const verb = VERBS[node.kind] ?? 'a transaction statement';
        context.report({
          wholeStatement: true,
          message: `${verb} in a migration: aibos already runs each migration in its own transaction`,
          help: context.file.parsed.noTransaction
            ? 'remove it; this file is marked `-- aibos:no-transaction`, so each statement commits on its own'
            : 'remove it; for statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY...) put the statement alone in its own migration file',
        });
      },
    };
  },
});
