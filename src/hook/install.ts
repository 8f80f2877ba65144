import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { AibosError } from '../errors.js';
import type { GitRepo } from '../git/repo.js';
import { GitError } from '../git/repo.js';
import { packageRoot } from '../paths.js';
import { ownershipOf, renderHook, shQuote } from './script.js';

/** A hook file aibos must not touch: the tool cannot do its job without overwriting someone's work (exit 2). */
export class HookConflictError extends AibosError {}

/** `.git/hooks/pre-commit`, or the same file under `core.hooksPath` when it is set. */
export async function preCommitPath(repo: GitRepo): Promise<string> {
  const result = await execa('git', ['rev-parse', '--git-path', 'hooks'], { cwd: repo.cwd, reject: false });
  if (result.exitCode !== 0) throw new GitError(`Cannot locate the git hooks folder: ${String(result.stderr).trim().split('\n')[0]}`);
  // Relative to the directory git was run in.
  return path.join(path.resolve(repo.cwd, String(result.stdout).trim()), 'pre-commit');
}

export function aibosBinPath(): string {
  return path.join(packageRoot(), 'bin', 'aibos.js');
}

export interface HookOutcome {
  file: string;
  action: 'installed' | 'updated' | 'unchanged' | 'removed' | 'absent' | 'foreign';
}

function chainHint(binPath: string): string {
  return `to chain aibos, add \`node ${shQuote(binPath)} lint --staged || exit 1\` to it, or run it from the pre-commit framework (hook id aibos-lint)`;
}

export async function installHook(repo: GitRepo): Promise<HookOutcome> {
  const file = await preCommitPath(repo);
  const binPath = aibosBinPath();
  const projectDir = path.relative(repo.top, repo.cwd).split(path.sep).join('/');
  const script = renderHook({ binPath, projectDir });
  const shown = path.relative(repo.cwd, file) || file;
  let action: HookOutcome['action'] = 'installed';
  if (existsSync(file)) {
    const current = readFileSync(file, 'utf8');
    const owner = ownershipOf(current);
    if (owner === 'foreign') throw new HookConflictError(`${shown} already exists and was not written by aibos — left untouched; ${chainHint(binPath)}.`);
    if (owner === 'aibos-edited')
      throw new HookConflictError(`${shown} was written by aibos and edited since — left untouched; keep your edits and ${chainHint(binPath)}, or delete the file and run \`aibos hook install\` again.`);
    action = current === script ? 'unchanged' : 'updated';
  }
  if (action !== 'unchanged') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, script);
  }
  chmodSync(file, 0o755);
  return { file, action };
}

export async function uninstallHook(repo: GitRepo): Promise<HookOutcome> {
  const file = await preCommitPath(repo);
  if (!existsSync(file)) return { file, action: 'absent' };
  const owner = ownershipOf(readFileSync(file, 'utf8'));
  const shown = path.relative(repo.cwd, file) || file;
  if (owner === 'foreign') return { file, action: 'foreign' };
  if (owner === 'aibos-edited') throw new HookConflictError(`${shown} was written by aibos and edited since — left untouched so your edits are not lost; remove it yourself if you no longer want it.`);
  rmSync(file);
  return { file, action: 'removed' };
}
