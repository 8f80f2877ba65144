import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { AibosError, FileError } from '../errors.js';
import { VERSION } from '../paths.js';
import { redact } from '../redact.js';

export interface GlobalOptions {
  config?: string;
  color?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export function getConfig(command: Command): Promise<ResolvedConfig> {
  return loadConfig({ configFile: globalOptions(command).config });
}

/** Colour on a TTY only, and never with NO_COLOR or --no-color. */
export function useColor(command: Command, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (globalOptions(command).color === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Progress and notices: stderr, so stdout carries only the result. */
export function notice(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** One sleeping tick for a pipe that is full (a non-blocking pipe says EAGAIN). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes the whole text to `fd` synchronously. process.stdout.write queues what a full pipe does
 * not take at once and keeps it in memory until the process ends: for a large report that doubled
 * its memory. A reader that went away (`| head`) ends the writing quietly, as it does for cat.
 */
function writeAll(fd: number, text: string): boolean {
  // Node encodes a string straight into the write, with no Buffer in between; a pipe that takes
  // only part of it gets the rest from a buffer.
  let offset = 0;
  try {
    offset = writeSync(fd, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return false;
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
  }
  // Bytes are never fewer than characters: only a write that took at least as many needs the count.
  if (offset >= text.length && offset === Buffer.byteLength(text, 'utf8')) return true;
  const bytes = Buffer.from(text, 'utf8');
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE') return false;
      else throw error;
    }
  }
  return true;
}

/** Writes the result (one text, or the pieces of a large one) to stdout, or to --output FILE. */
export function emit(text: string | Iterable<string>, outputFile?: string): void {
  const chunks = typeof text === 'string' ? [text] : text;
  if (!outputFile) {
    for (const chunk of chunks) if (!writeAll(1, chunk)) return;
    return;
  }
  let fd: number | undefined;
  try {
    fd = openSync(path.resolve(outputFile), 'w');
    for (const chunk of chunks) writeAll(fd, chunk);
  } catch (error) {
    throw new FileError(`Cannot write --output ${outputFile}: ${(error as Error).message.split('\n')[0]} — check that the folder exists and is writable.`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Wraps a command action: typed errors become one clear line and their exit
 * code; anything else is a bug, reported with the version and a stack.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? 0;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

export function reportError(error: unknown): number {
  if (error instanceof AibosError) {
    process.stderr.write(`aibos: ${error.message}\n`);
    return error.exitCode;
  }
  const err = error as Error;
  process.stderr.write(
    `aibos ${VERSION}: internal error — this is a bug in aibos, please report it with the output below.\n${redact(err?.stack ?? String(error))}\n`,
  );
  return 2;
}

export { redact } from '../redact.js';

export function printJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** --json: the error as part of the one document; the one-line message still goes to stderr. */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof AibosError) return { kind: error.name, message: redact(error.message) };
  return { kind: 'internal', message: redact(String((error as Error)?.message ?? error)) };
}

/** Errors whose --json document a command has already written itself. */
export const reportedAsJson = new WeakSet<object>();

/** With --json, an expected failure still prints one document on stdout: `{ "ok": false, "error": { kind, message } }`. */
export function jsonErrors<F extends { json?: boolean }>(fn: (flags: F, command: Command) => Promise<number>, describe: (error: unknown) => Record<string, unknown> = errorJson) {
  return async (flags: F, command: Command): Promise<number> => {
    try {
      return await fn(flags, command);
    } catch (error) {
      if (flags.json && error instanceof AibosError && !reportedAsJson.has(error)) printJson({ ok: false, error: describe(error) });
      throw error;
    }
  };
}

/** Collects repeatable options (`--rule a=b --rule c=d`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
