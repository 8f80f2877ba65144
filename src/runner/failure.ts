/**
 * A failing statement, located in its migration file. The server's `position`
 * counts characters (code points, 1-based) of the text that was sent; each
 * statement is sent on its own, so it maps back through that statement's start.
 */
import { MigrationError } from '../errors.js';
import type { MigrationFile } from '../migrations/files.js';
import type { Statement } from '../sql/parse.js';
import type { ServerErrorInfo } from '../db/types.js';

export interface StatementFailure {
  /** Relative path of the file that failed. */
  file: string;
  version: number;
  line: number;
  column: number;
  statementIndex?: number;
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  where?: string;
  /** What became of the migration: `rolled back`, or what a non-transactional one left behind. */
  outcome: string;
}

/** Normalises a driver error (postgres.js and PGlite both expose these fields). */
export function serverErrorInfo(error: unknown): ServerErrorInfo {
  const e = (error ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const position = Number(e.position);
  return {
    code: str(e.code),
    message: str(e.message) ?? String(error),
    detail: str(e.detail),
    hint: str(e.hint),
    position: Number.isFinite(position) && position > 0 ? position : undefined,
    where: str(e.where),
  };
}

/** Server errors carry a five-character SQLSTATE; anything else (a dropped connection) is not the migration's fault. */
export function isSqlError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57P0[1-3])/.test(code);
}

/** Postgres counts error positions in characters (code points); JS strings index UTF-16 units. */
export function unitsForCodePoints(text: string, codePoints: number): number {
  let unit = 0;
  for (let i = 0; i < codePoints && unit < text.length; i++) unit += (text.codePointAt(unit) ?? 0) > 0xffff ? 2 : 1;
  return unit;
}

/** Line and column in the file of a server error raised by `statement` (the statement's start when the server gave no position). */
export function locate(file: MigrationFile, statement: Statement | undefined, position: number | undefined): { line: number; column: number } {
  const source = file.parsed.source;
  if (!statement) return { line: 1, column: 1 };
  if (!position) return { line: statement.span.line, column: statement.span.column };
  const unit = source.unitAt(statement.start) + unitsForCodePoints(statement.text, position - 1);
  return source.positionOfUnit(unit);
}

export function describeFailure(error: unknown, file: MigrationFile, version: number, statement: Statement | undefined, outcome: string): StatementFailure {
  const info = serverErrorInfo(error);
  const { line, column } = locate(file, statement, info.position);
  return {
    file: file.relPath,
    version,
    line,
    column,
    statementIndex: statement?.index,
    code: info.code,
    message: info.message,
    detail: info.detail,
    hint: info.hint,
    where: info.where,
    outcome,
  };
}

export function formatFailure(f: StatementFailure): string {
  const lines = [`${f.file}:${f.line}:${f.column}: ${f.code ? `SQLSTATE ${f.code}: ` : ''}${f.message}`];
  if (f.detail) lines.push(`  detail: ${f.detail}`);
  if (f.hint) lines.push(`  hint: ${f.hint}`);
  if (f.where) lines.push(`  where: ${f.where.split('\n')[0]}`);
  lines.push(`  ${f.outcome}`);
  return lines.join('\n');
}

/** A migration failed; the run stopped there (exit 1). */
export class MigrationFailedError extends MigrationError {
  readonly failure: StatementFailure;
  constructor(failure: StatementFailure, direction: 'up' | 'down') {
    super(`${direction === 'up' ? 'Migration' : 'Down migration'} failed — ${formatFailure(failure)}`);
    this.failure = failure;
  }
}
