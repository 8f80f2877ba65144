/**
 * Typed errors: each carries a message in the form "what happened — why —
 * what to do" and the exit code of DESIGN §3. Only unknown errors get a stack.
 */
export class AibosError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends AibosError {}

/** A config file that cannot be read or does not match the schema. */
export class ConfigError extends AibosError {}

/** A file or directory that cannot be read. */
export class FileError extends AibosError {}

/** The database cannot be reached or refused the connection. */
export class DatabaseError extends AibosError {}

/** Another runner holds the migration lock. Exit 1: the check did not pass, the tool worked. */
export class LockTimeoutError extends AibosError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** The migration run failed: drift, a failing statement, a refused plan. */
export class MigrationError extends AibosError {
  constructor(message: string) {
    super(message, 1);
  }
}
