import path from 'node:path';
import { isSqlFileName } from '../migrations/files.js';
import { SUM_FILE } from '../migrations/sum.js';
import { fromGitPath, git, GitError, readBlobs, splitNul, toPathspec, type GitRepo } from './repo.js';

/** What `git commit` would record for the lint targets: the index, not the working tree. */
export interface StagedSnapshot {
  /** Every `*.sql` (and `*.sql.postgres`) in the index under the targets: absolute path -> staged text. */
  texts: Map<string, string>;
  /** Absolute paths of files the commit adds, changes or deletes under the targets (compared with HEAD, or the base). */
  changed: Set<string>;
  /** The migrations folder as the index has it, for whole-folder checks (`aibos.sum`). */
  folder?: { sqlNames: string[]; sumText?: string };
}

interface IndexEntry {
  object: string;
  abs: string;
}

/** The migrations folder's own files, as `aibos sum` lists them. */
const isSql = (p: string) => p.toLowerCase().endsWith('.sql');

/**
 * Reads the staged version of every migration under `targets` (absolute files or folders) and the
 * list of paths the commit touches. `against` is the commit to compare with (default HEAD; an
 * unborn branch compares with the empty tree, so everything staged counts as changed).
 */
export async function readStaged(repo: GitRepo, targets: string[], migrationsPath: string, against?: string): Promise<StagedSnapshot> {
  const specs = targets.map((t) => toPathspec(repo, t));
  const sumPath = path.join(migrationsPath, SUM_FILE);
  const folderSpec = toPathspec(repo, migrationsPath);
  // What the commit changes, asked at the same time as the index (each git run is a process start).
  const changedPaths = changedInIndex(repo, [...specs, folderSpec], against);
  changedPaths.catch(() => undefined);
  const listing = splitNul(await git(repo, ['ls-files', '--stage', '-z', '--', ...specs, folderSpec]));
  const entries: IndexEntry[] = [];
  for (const record of listing) {
    const m = /^\d+ ([0-9a-f]+) (\d)\t(.*)$/s.exec(record);
    if (!m) continue;
    const abs = fromGitPath(repo, m[3]!);
    if (m[2] !== '0') throw new GitError(`${path.relative(repo.cwd, abs)} has unresolved merge conflicts in the index — resolve them and \`git add\` the file, then commit.`);
    entries.push({ object: m[1]!, abs });
  }
  const underTargets = (abs: string) => targets.some((t) => abs === t || abs.startsWith(t + path.sep));
  // What a plain lint of the targets would read: `.sql` and `.sql.postgres` files.
  const lint = entries.filter((e) => isSqlFileName(e.abs) && underTargets(e.abs));
  const inFolder = entries.filter((e) => path.dirname(e.abs) === migrationsPath && (isSql(e.abs) || e.abs === sumPath));
  const wanted = [...new Map([...lint, ...inFolder].map((e) => [e.abs, e])).values()];
  const blobs = await readBlobs(repo, wanted.map((e) => e.object));
  const textOf = new Map(wanted.map((e, i) => [e.abs, blobs[i]!]));

  const texts = new Map(lint.map((e) => [e.abs, textOf.get(e.abs)!]));
  const changed = await changedPaths;

  const folderFiles = inFolder.filter((e) => isSql(e.abs));
  const covered = folderFiles.length > 0 && folderFiles.every((e) => texts.has(e.abs));
  return {
    texts,
    changed,
    folder: covered ? { sqlNames: folderFiles.map((e) => path.basename(e.abs)), sumText: textOf.get(sumPath) } : undefined,
  };
}

/**
 * Absolute paths the index adds, changes or deletes under `specs`, compared with `against` (default HEAD; on a
 * branch without commits yet, `git diff --cached` compares with the empty tree by itself, so no run of git asks
 * first whether HEAD exists: each run is a process start, ~8 ms of this one's time on a small VM).
 */
async function changedInIndex(repo: GitRepo, specs: string[], against: string | undefined): Promise<Set<string>> {
  const diffArgs = ['diff', '--cached', '--no-renames', '--name-only', '-z', '--diff-filter=ACMRD'];
  if (against) diffArgs.push(against);
  return new Set(splitNul(await git(repo, [...diffArgs, '--', ...specs])).map((p) => fromGitPath(repo, p)));
}
