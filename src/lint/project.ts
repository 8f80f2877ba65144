import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Level, ResolvedConfig } from '../config/types.js';
import { findSqlFiles, folderSqlNames, loadMigrationFiles, loadMigrationFilesAhead, requireMigrationsFolder, toRelPath, type MigrationSet } from '../migrations/files.js';
import { parseSum, readSum } from '../migrations/sum.js';
import { prepareParseAhead } from '../sql/parallel.js';
import { initParser } from '../sql/parse.js';
import { lintMigrations } from './engine.js';
import { timing } from './timing.js';
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
  /** The migrations folder's `.sql` names and `aibos.sum` text when not read from the disk (the git index for --staged). */
  folder?: FolderContents;
  cwd?: string;
}

/** Loads (reads and parses, once) the migration files a command works on. */
export async function loadMigrationSet(config: ResolvedConfig, paths?: string[], cwd = process.cwd(), texts?: Map<string, string>): Promise<MigrationSet> {
  await initParser();
  // Texts without paths are the whole set (the git index may hold none, or files the disk no longer has).
  if (texts && !paths?.length) return loadMigrationFiles([...texts.keys()], Object.keys(config.schemas), cwd, texts);
  const targets = paths?.length ? paths : [config.migrationsPath];
  if (!paths?.length) requireMigrationsFolder(config.migrationsPath, cwd);
  const files = texts ? [...new Set([...targets.flatMap((t) => (texts.has(t) ? [t] : findSqlFiles([t], cwd)))])] : findSqlFiles(targets, cwd);
  // Read everything first, so a large input can be parsed on a second thread, ahead of the lint.
  const contents = new Map<string, string>();
  let total = 0;
  for (const file of files) {
    const given = texts?.get(file);
    if (given !== undefined) {
      contents.set(file, given);
      total += given.length;
    } else
      try {
        const text = readFileSync(file, 'utf8');
        contents.set(file, text);
        total += text.length;
      } catch {
        // Left out: readMigrationFile reports it with the usual message.
      }
  }
  // The worker loads its parser while this thread puts the files in order.
  const ahead = await prepareParseAhead(total);
  return loadMigrationFilesAhead(files, Object.keys(config.schemas), cwd, contents, ahead);
}

export interface FolderContents {
  sqlNames: string[];
  /** `aibos.sum`'s text; undefined when the folder has none. */
  sumText?: string;
}

/** The migrations folder's own files, when `set` covers all of them (whole-folder rules need them). */
export function migrationDirInfo(config: ResolvedConfig, set: MigrationSet, cwd = process.cwd(), folder?: FolderContents): MigrationDirInfo | undefined {
  const dir = config.migrationsPath;
  const inDir = set.files.filter((f) => path.dirname(f.path) === dir);
  if (!inDir.length) return undefined;
  const listed = folder ? folder.sqlNames : folderSqlNames(dir);
  const covered = new Set(inDir.map((f) => f.name));
  if (!listed.every((n) => covered.has(n))) return undefined;
  const sum = folder ? (folder.sumText === undefined ? undefined : parseSum(folder.sumText)) : readSum(dir);
  return { path: dir, relPath: toRelPath(dir, cwd) || '.', files: inDir, sum };
}

export async function lintProject(request: LintRequest): Promise<LintResult> {
  const cwd = request.cwd ?? process.cwd();
  const [set, rules] = await Promise.all([loadMigrationSet(request.config, request.paths, cwd, request.texts), loadRules(request.config)]);
  timing?.mark(`read ${set.files.length} files`);
  return lintMigrations(set, {
    config: request.config,
    rules,
    env: request.env,
    ruleOverrides: request.ruleOverrides,
    base: request.base,
    migrationDir: migrationDirInfo(request.config, set, cwd, request.folder),
    releaseTrees: true,
  });
}
