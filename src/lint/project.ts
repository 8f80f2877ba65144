import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Level, ResolvedConfig } from '../config/types.js';
import { findSqlFiles, folderSqlNames, loadMigrationFiles, loadMigrationFilesAhead, requireMigrationsFolder, toRelPath, type MigrationSet } from '../migrations/files.js';
import { parseSum, readSum } from '../migrations/sum.js';
import { PARALLEL_MIN_BYTES, startParseAhead, type ParseAhead } from '../sql/parallel.js';
import { initParser } from '../sql/parse.js';
import { ParserNotLoaded } from '../sql/pg-wasm.js';
import { lintMigrations } from './engine.js';
import { timing } from './timing.js';
import { loadRules } from './plugins.js';
import type { BaseSnapshot, LintResult, MigrationDirInfo } from './types.js';

/**
 * The parser thread is started once the walk has found WORKER_START_FILES (it needs ~150 ms to start
 * up and load its parser, so it starts before the files are all found), and it reads and parses them
 * all from WORKER_READS_FILES. Below that its start-up cost more than it saved, measured on corpus
 * projects (bench/README.md): 702 files +80 ms, 1,460 files +45-90 ms, 2,715 files -75 ms, 4,494 files
 * -180 ms against the main thread alone. With fewer files the worker is stopped unused, unless the files
 * come to PARALLEL_MIN_BYTES: then it is handed their texts.
 */
const WORKER_START_FILES = 1000;
const WORKER_READS_FILES = 2000;

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

/**
 * Loads (reads and parses, once) the migration files a command works on. `workerParses`: when a
 * worker parses the files, this thread does not load a parser of its own (a lint; see lintProject).
 */
export async function loadMigrationSet(config: ResolvedConfig, paths?: string[], cwd = process.cwd(), texts?: Map<string, string>, workerParses = false): Promise<MigrationSet> {
  const named = new Set<string>();
  const set = await readMigrationSet(config, paths, cwd, texts, workerParses, named);
  if (named.size) set.named = named;
  timing?.mark('  order and pair them');
  return set;
}

async function readMigrationSet(config: ResolvedConfig, paths: string[] | undefined, cwd: string, texts: Map<string, string> | undefined, workerParses: boolean, named: Set<string>): Promise<MigrationSet> {
  // Texts without paths are the whole set (the git index may hold none, or files the disk no longer has).
  if (texts && !paths?.length) {
    await initParser();
    return loadMigrationFiles([...texts.keys()], Object.keys(config.schemas), cwd, texts);
  }
  const targets = paths?.length ? paths : [config.migrationsPath];
  if (!paths?.length) requireMigrationsFolder(config.migrationsPath, cwd);
  const schemaNames = Object.keys(config.schemas);
  // Thousands of files on disk: the parser thread starts while they are still being found, and is handed
  // their paths once they are in order: it reads and parses them while this thread lints.
  let early: ParseAhead | undefined;
  const onMany = texts ? undefined : { count: WORKER_START_FILES, call: () => (early = startParseAhead()) };
  let files: string[];
  try {
    files = texts ? [...new Set([...targets.flatMap((t) => (texts.has(t) ? [t] : findSqlFiles([t], cwd)))])] : findSqlFiles(targets, cwd, onMany, named);
  } catch (error) {
    (early as ParseAhead | undefined)?.cancel();
    throw error;
  }
  timing?.mark(`  find ${files.length} files`);
  const started = early as ParseAhead | undefined;
  const workerReads = started && files.length >= WORKER_READS_FILES ? started : undefined;
  // This thread's parser, unless the worker does all the parsing (it reuses this thread's compiled module when there is one).
  if (!workerParses || !workerReads) {
    await initParser();
    timing?.mark('  load the parser');
  }
  if (workerReads) return loadMigrationFilesAhead(files, schemaNames, cwd, texts, workerReads);
  // Fewer files: read here; a second thread still pays for a large enough text (given texts, or big files).
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
  timing?.mark('  read them');
  const late = total >= PARALLEL_MIN_BYTES ? (started ?? startParseAhead()) : undefined;
  if (!late) started?.cancel();
  return late ? loadMigrationFilesAhead(files, schemaNames, cwd, contents, late) : loadMigrationFiles(files, schemaNames, cwd, contents);
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
  const [set, rules] = await Promise.all([loadMigrationSet(request.config, request.paths, cwd, request.texts, true), loadRules(request.config)]);
  timing?.mark(`read ${set.files.length} files`);
  const lint = () =>
    lintMigrations(set, {
      config: request.config,
      rules,
      env: request.env,
      ruleOverrides: request.ruleOverrides,
      base: request.base,
      migrationDir: migrationDirInfo(request.config, set, cwd, request.folder),
      releaseTrees: true,
    });
  try {
    return lint();
  } catch (error) {
    // The worker that parsed for this thread died or fell silent, and the parsing comes back here, which has
    // no parser loaded: load it and lint again from the start (the files parsed so far are kept).
    if (!(error instanceof ParserNotLoaded)) throw error;
    await initParser();
    return lint();
  }
}
