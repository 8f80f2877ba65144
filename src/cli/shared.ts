import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
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

/** Writes the result to stdout, or to --output FILE. */
function stdoutIsFile(): boolean {
  try {
    return fstatSync(1).isFile();
  } catch {
    return false;
  }
}

export function emit(text: string | Iterable<string>, outputFile?: string): void {
  const chunks = typeof text === 'string' ? [text] : text;
  if (!outputFile) {
    // Redirected to a file: one write per piece (the stream would copy each into a Buffer first).
    if (stdoutIsFile()) for (const chunk of chunks) writeSync(1, chunk);
    else for (const chunk of chunks) process.stdout.write(chunk);
    return;
  }
  let fd: number | undefined;
  try {
    fd = openSync(path.resolve(outputFile), 'w');
    for (const chunk of chunks) writeSync(fd, chunk);
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

/** Collects repeatable options (`--rule a=b --rule c=d`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
