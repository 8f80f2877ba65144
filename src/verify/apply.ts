/**
 * Runs one migration file on the shadow session, statement by statement, so
 * a failure is pinned to its statement even when the server gives no
 * position, and a position is mapped back into the file (line, column).
 */
import type { DbSession } from '../db/types.js';
import { AibosError, DatabaseError } from '../errors.js';
import type { MigrationFile } from '../migrations/files.js';
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

/** A server's answer to a bad statement (both drivers), as opposed to a lost connection or a bug. */
function serverError(error: unknown): { code: string; message: string; detail?: string; hint?: string; position?: number } | undefined {
  if (error instanceof AibosError) return undefined;
  const e = error as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown; position?: unknown } | undefined;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  // Class 08 (connection) and 57P (shutdown) are the tool failing, not the migration.
  if (/^(08|57P)/.test(e.code)) return undefined;
  const position = Number(e.position);
  return {
    code: e.code,
    message: String(e.message ?? 'server error'),
    detail: typeof e.detail === 'string' && e.detail ? e.detail : undefined,
    hint: typeof e.hint === 'string' && e.hint ? e.hint : undefined,
    position: Number.isInteger(position) && position > 0 ? position : undefined,
  };
}

/** Postgres counts error positions in characters (code points); JS strings index UTF-16 units. */
function codePointsToUnits(text: string, codePoints: number): number {
  let units = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen >= codePoints) break;
    units += ch.length;
    seen++;
  }
  return units;
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
      const info = serverError(error);
      // Best effort: leave the session usable whatever state the file left it in.
      await session.exec('ROLLBACK').catch(() => undefined);
      if (!info) {
        if (error instanceof AibosError) throw error;
        throw new DatabaseError(`The shadow database failed while running ${file.relPath}: ${(error as Error).message?.split('\n')[0] ?? String(error)}`);
      }
      const unit = chunk.unitStart + (info.position ? codePointsToUnits(chunk.text, info.position - 1) : leadingTrivia(chunk.text));
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
