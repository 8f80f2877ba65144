/**
 * One interface over the two drivers: `postgres` (a server) and PGlite (embedded).
 * The runner and verify only speak this.
 */
export interface DbSession {
  /** One statement with `$1…` parameters (extended protocol). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Any number of statements, no parameters (simple protocol), e.g. a migration file's text. */
  exec(sql: string): Promise<void>;
}

export interface ReservedSession extends DbSession {
  release(): Promise<void>;
}

export interface Database extends DbSession {
  readonly kind: 'postgres' | 'pglite';
  /** Where it points, for messages: `postgres://user@host:5432/db` (never a password) or `.aibos/pglite`. */
  readonly target: string;
  /** The role it logs in as, for messages (`GRANT … TO user`). */
  readonly user: string;
  /** Runs `fn` in a transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: DbSession) => Promise<T>): Promise<T>;
  /** A dedicated connection (session-level state: advisory locks, SET). */
  reserve(): Promise<ReservedSession>;
  /**
   * Starts opening a server connection, and resolves as soon as the attempt is under way (not once it is
   * open): the caller does its own work during the network round trips, and the next `reserve()` waits for
   * the connection (and reports its failure).
   */
  preconnect?(): Promise<void>;
  /**
   * Ends the connections. `lastThing`: the process exits right after, so a server connection returns
   * once it has said goodbye (Terminate sent) instead of waiting ~10 ms for the server process to end —
   * never before something that needs the connection gone (dropping its database).
   */
  close(options?: { lastThing?: boolean }): Promise<void>;
}

/** A server error, normalised across drivers. `position` is 1-based in characters of the statement text sent. */
export interface ServerErrorInfo {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: number;
  where?: string;
}
