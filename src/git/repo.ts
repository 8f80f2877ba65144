import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from '../errors.js';

const require = createRequire(import.meta.url);

interface GitRun {
  /** Undefined when git did not run to an exit (not installed, killed). */
  exitCode?: number;
  stdout: Buffer;
  stderr: string;
  /** Why git could not be started. */
  failure?: string;
}

/**
 * Runs git to completion and collects its output. node:child_process (loaded on first use: a plain
 * lint starts no process) rather than execa: importing execa took ~73 ms, more than a pre-commit
 * hook's whole `lint --staged` now takes without it (bench/README.md).
 */
function runGit(cwd: string, args: string[], input?: string): Promise<GitRun> {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ stdout: Buffer.alloc(0), stderr: '', failure: error.message }));
    child.on('close', (code) => resolve({ exitCode: code ?? undefined, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    if (input !== undefined) {
      // git may exit before it has read everything (a bad object name): its answer is in stderr.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(input);
    }
  });
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

/** A git working tree, located from a directory inside it. */
export interface GitRepo {
  /** Absolute top-level folder, spelled from the caller's cwd (no symlink surprises in relative paths). */
  top: string;
  /** The caller's working directory. */
  cwd: string;
  /** The flag or command that needs the repository, for the message when git cannot be started. */
  what: string;
}

/** Error from a git command that should have worked: the tool cannot do its job (exit 2). */
export class GitError extends UsageError {}

const gitNotStarted = (what: string, failure: string) =>
  new GitError(`${what} needs git, which could not be started (${firstLine(failure)}) — install git and make sure it is on PATH.`);

/**
 * Runs git with the working tree's top as cwd, so every path in and out is top-relative; a git that cannot be
 * started is reported here, for every run in the repository, as openRepo reports it.
 */
async function runInRepo(repo: GitRepo, args: string[], input?: string): Promise<GitRun> {
  const result = await runGit(repo.top, args, input);
  if (result.failure !== undefined) throw gitNotStarted(repo.what, result.failure);
  return result;
}

/** Runs git in the repository (see runInRepo) and returns what it printed; a failure is a GitError naming the command. */
export async function git(repo: GitRepo, args: string[]): Promise<string> {
  const result = await runInRepo(repo, args);
  if (result.exitCode !== 0) throw new GitError(`git ${args[0]} failed: ${firstLine(result.stderr) || `exit ${result.exitCode ?? 'by a signal'}`}`);
  return result.stdout.toString('utf8');
}

/** Variables that move or bound git's search for the repository: with any of them set, git itself is asked. */
const SEARCH_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM'];

/**
 * The working tree's top as git finds it when nothing but the folders decides: the nearest folder from `cwd`
 * up that holds `.git` (a folder, or the file of a linked worktree or a submodule). Each run of git is a
 * process start, ~8 ms of this process's time on a small VM, and this is the hook's first question.
 */
function topByFolders(cwd: string): string | undefined {
  if (SEARCH_VARIABLES.some((name) => process.env[name])) return undefined;
  for (let dir = cwd; ; ) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * Finds the repository around `cwd`; `what` names the flag or command that needs it,
 * for the message shown when there is none (git answers when the folders do not say).
 */
export async function openRepo(cwd: string, what: string): Promise<GitRepo> {
  const top = topByFolders(cwd);
  if (top !== undefined) return { top, cwd, what };
  const result = await runGit(cwd, ['rev-parse', '--show-cdup']);
  if (result.failure !== undefined) throw gitNotStarted(what, result.failure);
  if (result.exitCode !== 0) {
    const why = firstLine(result.stderr);
    if (/not a git repository/i.test(why))
      throw new GitError(`${what} needs a git repository, and ${cwd} is not inside one — run it from your project's checkout (or \`git init\` first).`);
    throw new GitError(`${what}: git rev-parse failed: ${why}`);
  }
  // --show-cdup is relative to cwd ('' at the top, '../' below it): resolving it keeps the cwd's spelling of the path.
  return { top: path.resolve(cwd, result.stdout.toString('utf8').trim() || '.'), cwd, what };
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
  const result = await runInRepo(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  const sha = result.stdout.toString('utf8').trim();
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
  const result = await runInRepo(repo, ['cat-file', '--batch'], objects.join('\n') + '\n');
  if (result.exitCode !== 0) throw new GitError(`git cat-file failed: ${firstLine(result.stderr) || 'no exit status'}`);
  const out = result.stdout;
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
