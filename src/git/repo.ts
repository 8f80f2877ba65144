import path from 'node:path';
import { UsageError } from '../errors.js';
import { importModule } from '../import-module.js';

/**
 * execa, imported on first use: it is ~130 modules, and `aibos lint` imports
 * this file but needs git only with --staged or --base — a pre-commit hook's
 * one-file lint spent more time loading execa than linting.
 */
async function loadExeca(): Promise<typeof import('execa').execa> {
  return (await importModule<typeof import('execa')>('execa')).execa;
}

/** A git working tree, located from a directory inside it. */
export interface GitRepo {
  /** Absolute top-level folder, spelled from the caller's cwd (no symlink surprises in relative paths). */
  top: string;
  /** The caller's working directory. */
  cwd: string;
}

/** Error from a git command that should have worked: the tool cannot do its job (exit 2). */
export class GitError extends UsageError {}

/** Runs git with the working tree's top as cwd, so every path in and out is top-relative. */
export async function git(repo: GitRepo, args: string[]): Promise<string> {
  const result = await (await loadExeca())('git', args, { cwd: repo.top, reject: false, stripFinalNewline: false });
  if (result.exitCode !== 0) throw new GitError(`git ${args[0]} failed: ${String(result.stderr).trim().split('\n')[0] || `exit ${result.exitCode}`}`);
  return String(result.stdout);
}

/**
 * Finds the repository around `cwd`; `what` names the flag or command that needs it,
 * for the message shown when there is none.
 */
export async function openRepo(cwd: string, what: string): Promise<GitRepo> {
  const result = await (await loadExeca())('git', ['rev-parse', '--show-cdup'], { cwd, reject: false });
  if (result.exitCode === undefined)
    throw new GitError(`${what} needs git, which could not be started (${(result.message ?? '').split('\n')[0]}) — install git and make sure it is on PATH.`);
  if (result.exitCode !== 0) {
    const why = String(result.stderr).trim().split('\n')[0] ?? '';
    if (/not a git repository/i.test(why))
      throw new GitError(`${what} needs a git repository, and ${cwd} is not inside one — run it from your project's checkout (or \`git init\` first).`);
    throw new GitError(`${what}: git rev-parse failed: ${why}`);
  }
  // --show-cdup is relative to cwd ('' at the top, '../' below it): resolving it keeps the cwd's spelling of the path.
  return { top: path.resolve(cwd, String(result.stdout).trim() || '.'), cwd };
}

/** A path git printed (top-relative, `/`-separated) as an absolute path. */
export function fromGitPath(repo: GitRepo, gitPath: string): string {
  return path.join(repo.top, ...gitPath.split('/'));
}

/** An absolute path as a top-relative pathspec (literal, so `*` or `:` in names mean themselves). */
export function toPathspec(repo: GitRepo, absPath: string): string {
  const rel = path.relative(repo.top, absPath).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new GitError(`${absPath} is outside the git repository at ${repo.top} — lint files inside the checkout.`);
  return `:(literal)${rel || '.'}`;
}

/** Checks that `ref` names a commit; a bad ref is a usage error naming it. */
export async function resolveCommit(repo: GitRepo, ref: string, flag: string): Promise<string> {
  const result = await (await loadExeca())('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: repo.top, reject: false });
  const sha = String(result.stdout).trim();
  if (result.exitCode !== 0 || !sha)
    throw new GitError(`${flag} ${ref}: no such commit in this repository — check the name (\`git log --oneline ${ref}\`); in CI, fetch it first (actions/checkout with fetch-depth: 0).`);
  return sha;
}

/** `-z` output split into records (the last one empty). */
export function splitNul(text: string): string[] {
  return text.split('\0').filter((s) => s.length > 0);
}

/**
 * Reads many blobs in one `git cat-file --batch` process. Git's batch output is
 * `<sha> <type> <size>\n<bytes>\n` per object; sizes are in bytes, so the output
 * is parsed as a Buffer, then each blob decoded as UTF-8.
 */
export async function readBlobs(repo: GitRepo, objects: string[]): Promise<string[]> {
  if (!objects.length) return [];
  const result = await (await loadExeca())('git', ['cat-file', '--batch'], { cwd: repo.top, input: objects.join('\n') + '\n', encoding: 'buffer', reject: false });
  if (result.exitCode !== 0) throw new GitError(`git cat-file failed: ${Buffer.from(result.stderr).toString('utf8').trim().split('\n')[0]}`);
  const out = Buffer.from(result.stdout);
  const blobs: string[] = [];
  let at = 0;
  for (const object of objects) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8');
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) throw new GitError(`git cat-file could not read ${object}: ${header}`);
    const size = Number(m[2]);
    blobs.push(out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return blobs;
}
