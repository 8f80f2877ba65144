/**
 * Runs one migration file on the shadow session, statement by statement, so
 * a failure is pinned to its statement even when the server gives no
 * position, and a position is mapped back into the file (line, column).
 */
import type { DbSession } from '../db/types.js';
import { AibosError, DatabaseError } from '../errors.js';
import type { MigrationFile } from '../migrations/files.js';
import { isSqlError, serverErrorInfo, unitsForCodePoints } from '../runner/failure.js';
import { executionMode, transactionControl } from '../runner/mode.js';

export interface FileFailure {
  /** The file as reports print it (relative path). */
  file: string;
  line: number;
  column: number;
  /** SQLSTATE */
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
}

interface Chunk {
  text: string;
  /** UTF-16 index in the file where `text` starts. */
  unitStart: number;
}

function chunksOf(file: MigrationFile): Chunk[] {
  const { statements, syntaxError, source } = file.parsed;
  // A file our parser rejects still goes to the server whole: its error (and position) is the one to report.
  if (syntaxError || !statements.length) return file.text.trim() ? [{ text: file.text, unitStart: 0 }] : [];
  return statements.map((s) => ({ text: s.text, unitStart: source.unitAt(s.start) }));
}

/**
 * Applies `file`; returns the failure, or undefined when it ran. A file
 * without its own transaction control runs in one transaction, so a failure
 * leaves nothing of it behind (as with the runner).
 */
export async function applyFile(session: DbSession, file: MigrationFile): Promise<FileFailure | undefined> {
  const chunks = chunksOf(file);
  // As the runner decides (runner/mode.ts): a file Postgres would refuse inside BEGIN runs without one.
  const ownControl = executionMode(file).mode === 'no-transaction' || transactionControl(file) !== undefined;
  if (!ownControl) await session.exec('BEGIN');
  for (const chunk of chunks) {
    try {
      await session.exec(chunk.text);
    } catch (error) {
      // Best effort: leave the session usable whatever state the file left it in.
      await session.exec('ROLLBACK').catch(() => undefined);
      // A server's answer to a bad statement, as opposed to a lost connection or a bug (the runner's rule).
      if (error instanceof AibosError) throw error;
      if (!isSqlError(error)) {
        throw new DatabaseError(`The shadow database failed while running ${file.relPath}: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
      }
      const info = serverErrorInfo(error);
      const unit = chunk.unitStart + (info.position ? unitsForCodePoints(chunk.text, info.position - 1) : leadingTrivia(chunk.text));
      const { line, column } = file.parsed.source.positionOfUnit(unit);
      return { file: file.relPath, line, column, code: info.code, message: info.message, detail: info.detail, hint: info.hint };
    }
  }
  if (!ownControl) await session.exec('COMMIT');
  return undefined;
}

/** Without a server position, point at the statement's first token rather than at comments before it. */
function leadingTrivia(text: string): number {
  const m = /^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/.exec(text);
  return m ? m[0].length : 0;
}
