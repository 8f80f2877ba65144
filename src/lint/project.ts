import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Level, ResolvedConfig } from '../config/types.js';
import { FileError } from '../errors.js';
import { findSqlFiles, loadMigrationFiles, toRelPath, type MigrationSet } from '../migrations/files.js';
import { readSum } from '../migrations/sum.js';
import { parseInParallel } from '../sql/parallel.js';
import { initParser } from '../sql/parse.js';
import { lintMigrations } from './engine.js';
import { loadRules } from './plugins.js';
import type { BaseSnapshot, LintResult, MigrationDirInfo } from './types.js';

export interface LintRequest {
  config: ResolvedConfig;
  /** Files and folders; default: the config's migrations folder. */
  paths?: string[];
  env?: string;
  ruleOverrides?: Record<string, Level>;
  base?: BaseSnapshot;
  /** File contents to use instead of the disk (absolute path -> text), e.g. the git index for --staged. */
  texts?: Map<string, string>;
  cwd?: string;
}

/** Loads (reads and parses, once) the migration files a command works on. */
export async function loadMigrationSet(config: ResolvedConfig, paths?: string[], cwd = process.cwd(), texts?: Map<string, string>): Promise<MigrationSet> {
  await initParser();
  let targets = paths?.length ? paths : [config.migrationsPath];
  if (!paths?.length && !existsSync(config.migrationsPath))
    throw new FileError(`No migrations folder at ${toRelPath(config.migrationsPath, cwd)} — run \`aibos init\`, or set migrationsDir in the config.`);
  if (texts && !paths?.length) targets = [...texts.keys()];
  const files = texts ? [...new Set([...targets.flatMap((t) => (texts.has(t) ? [t] : findSqlFiles([t], cwd)))])] : findSqlFiles(targets, cwd);
  // Read everything first, so a large input can be parsed on two threads.
  const contents = new Map<string, string>();
  for (const file of files) {
    const given = texts?.get(file);
    if (given !== undefined) contents.set(file, given);
    else
      try {
        contents.set(file, readFileSync(file, 'utf8'));
      } catch {
        // Left out: readMigrationFile reports it with the usual message.
      }
  }
  const preparsed = await parseInParallel(contents);
  return loadMigrationFiles(files, Object.keys(config.schemas), cwd, contents, preparsed);
}

/** The migrations folder's own files, when `set` covers all of them (whole-folder rules need them). */
export function migrationDirInfo(config: ResolvedConfig, set: MigrationSet, cwd = process.cwd()): MigrationDirInfo | undefined {
  const dir = config.migrationsPath;
  const inDir = set.files.filter((f) => path.dirname(f.path) === dir);
  if (!inDir.length) return undefined;
  const onDisk = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.sql'));
  const covered = new Set(inDir.map((f) => f.name));
  if (!onDisk.every((n) => covered.has(n))) return undefined;
  return { path: dir, relPath: toRelPath(dir, cwd) || '.', files: inDir, sum: readSum(dir) };
}

export async function lintProject(request: LintRequest): Promise<LintResult> {
  const cwd = request.cwd ?? process.cwd();
  const [set, rules] = await Promise.all([loadMigrationSet(request.config, request.paths, cwd, request.texts), loadRules(request.config)]);
  return lintMigrations(set, {
    config: request.config,
    rules,
    env: request.env,
    ruleOverrides: request.ruleOverrides,
    base: request.base,
    migrationDir: migrationDirInfo(request.config, set, cwd),
  });
}
