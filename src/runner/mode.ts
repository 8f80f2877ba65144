/**
 * Whether a migration runs inside a transaction, inferred from its AST.
 * Postgres refuses some statements inside a transaction block; running those
 * files outside one is the only way to apply them at all.
 */
import type { MigrationFile } from '../migrations/files.js';
import type { Statement } from '../sql/parse.js';

export type ExecutionMode = 'transaction' | 'no-transaction';

export interface ModeDecision {
  mode: ExecutionMode;
  /** Why, for --dry-run and the history: the directive or the first statement that needs it. */
  reason?: string;
  /** The statement that forced it (absent for the directive). */
  statement?: Statement;
}

/** Names the statement when Postgres would reject it inside BEGIN … COMMIT, else undefined. */
export function nonTransactionalStatement(statement: Statement): string | undefined {
  const node = statement.node ?? {};
  switch (statement.kind) {
    case 'IndexStmt':
      return node.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return node.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt': {
      const params = (node.params ?? []) as { DefElem?: { defname?: string } }[];
      const concurrent = node.concurrent || params.some((p) => p.DefElem?.defname === 'concurrently');
      if (concurrent) return 'REINDEX CONCURRENTLY';
      return node.kind === 'REINDEX_OBJECT_DATABASE' || node.kind === 'REINDEX_OBJECT_SYSTEM' ? 'REINDEX DATABASE/SYSTEM' : undefined;
    }
    case 'AlterTableStmt': {
      const cmds = (node.cmds ?? []) as { AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean } } } }[];
      return cmds.some((c) => c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd.def?.PartitionCmd?.concurrent) ? 'DETACH PARTITION CONCURRENTLY' : undefined;
    }
    case 'VacuumStmt':
      return node.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'CreateSubscriptionStmt':
      return 'CREATE SUBSCRIPTION';
    case 'DropSubscriptionStmt':
      return 'DROP SUBSCRIPTION';
    case 'ClusterStmt':
      return node.relation ? undefined : 'CLUSTER (all tables)';
    default:
      return undefined;
  }
}

export function executionMode(file: MigrationFile): ModeDecision {
  if (file.parsed.noTransaction) return { mode: 'no-transaction', reason: '-- aibos:no-transaction' };
  for (const statement of file.parsed.statements) {
    const reason = nonTransactionalStatement(statement);
    if (reason) return { mode: 'no-transaction', reason, statement };
  }
  return { mode: 'transaction' };
}

/** A statement that opens or ends a transaction itself would break the one-transaction-per-migration promise. */
export function transactionControl(file: MigrationFile): Statement | undefined {
  return file.parsed.statements.find((s) => s.kind === 'TransactionStmt');
}
