/**
 * aibos's own bookkeeping on the target database: the advisory lock, the history, audit and
 * approvals tables. A server error there is neither a migration's fault (that one names the file,
 * line and column) nor a bug in aibos: typically the user lacks a privilege. It becomes one
 * DatabaseError (exit 2) naming what the server refused, the SQLSTATE and what to do.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Database } from '../db/types.js';
import { AibosError, DatabaseError } from '../errors.js';
import { isSqlError, serverErrorInfo } from './failure.js';
import { sqlIdent } from '../sql/ident.js';

export interface BookkeepingScope {
  db: Pick<Database, 'target' | 'user'>;
  config: Pick<ResolvedConfig, 'history'>;
}

/** The GRANT that lifts a "permission denied for <kind> <name>", when the object is one aibos knows what it needs on. */
function grantFor(message: string, detail: string | undefined, scope: BookkeepingScope): string | undefined {
  const denied = /permission denied for (database|schema|table|relation) "?([^"]+)"?$/.exec(message);
  if (!denied) return undefined;
  const [, kind, name] = denied as unknown as [string, string, string];
  const to = sqlIdent(scope.db.user);
  if (kind === 'database') return `GRANT ${/CONNECT/.test(detail ?? '') ? 'CONNECT' : 'CREATE'} ON DATABASE ${sqlIdent(name)} TO ${to};`;
  if (kind === 'schema') return `GRANT USAGE, CREATE ON SCHEMA ${sqlIdent(name)} TO ${to};`;
  const { schema, table, eventsTable, approvalsTable } = scope.config.history;
  // What the runner does to each of its tables; the audit trail and the approvals are append-only.
  const privileges = name === table ? 'SELECT, INSERT, UPDATE, DELETE' : name === eventsTable || name === approvalsTable ? 'SELECT, INSERT' : undefined;
  return privileges && `GRANT ${privileges} ON ${schema}.${name} TO ${to};`;
}

/**
 * The error to report for `error`, raised while aibos tried to `doing` (e.g. "read the migration history");
 * `outcome` says what became of the migration in flight. Errors that are not a server's SQL error pass through.
 */
export function bookkeepingError(error: unknown, scope: BookkeepingScope, doing: string, outcome?: string): unknown {
  if (error instanceof AibosError || !isSqlError(error)) return error;
  const info = serverErrorInfo(error);
  const owner = `run aibos as the migration owner (the role that creates and owns schema ${scope.config.history.schema})`;
  let todo: string;
  if (info.code === '42501') {
    const grant = grantFor(info.message, info.detail, scope);
    todo = grant ? `${owner}, or ${grant}` : `${owner}, or grant ${sqlIdent(scope.db.user)} the privilege it names.`;
  } else todo = info.hint ?? 'this is aibos’s own bookkeeping, not a migration: fix the cause on the server, then run again.';
  return new DatabaseError(`Cannot ${doing} on ${scope.db.target}: ${info.message} (SQLSTATE ${info.code})${outcome ? `; ${outcome}` : ''} — ${todo}`);
}

/** Runs one piece of bookkeeping; a server error becomes the message of `bookkeepingError`. */
export async function bookkeeping<T>(scope: BookkeepingScope, doing: string, work: () => Promise<T>, outcome?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw bookkeepingError(error, scope, doing, outcome);
  }
}
