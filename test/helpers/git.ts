import { execa } from 'execa';
import { runCli, tempProject, type CliResult, type TempProject } from './project.js';

/**
 * Git runs isolated from the machine's config (no global hooksPath, signing or templates) and from any
 * repository the test runner itself may be inside (GIT_DIR and friends).
 */
export const GIT_ENV: Record<string, string | undefined> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_PREFIX: undefined,
  GIT_TEMPLATE_DIR: '',
  NO_COLOR: '1',
};

export interface GitProject extends TempProject {
  /** Runs git in the project (or `cwd` inside it); fails the test on a non-zero exit unless `reject: false`. */
  git(args: string[], options?: { reject?: boolean; cwd?: string }): Promise<CliResult>;
  /** Runs the real aibos CLI with the same isolated git environment. */
  aibos(args: string[], options?: { cwd?: string }): Promise<CliResult>;
}

/** A temporary git repository with a committer identity and the given files (not yet added). */
export async function gitProject(files: Record<string, string> = {}): Promise<GitProject> {
  const project = tempProject(files);
  const git: GitProject['git'] = async (args, options = {}) => {
    const r = await execa('git', args, { cwd: options.cwd ?? project.dir, env: GIT_ENV, extendEnv: true, reject: false });
    const result = { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    if (options.reject !== false && result.exitCode !== 0) throw new Error(`git ${args.join(' ')} exited ${result.exitCode}:\n${result.stderr}`);
    return result;
  };
  await git(['init', '-q', '-b', 'main']);
  await git(['config', 'user.name', 'Test Author']);
  await git(['config', 'user.email', 'author@example.com']);
  await git(['config', 'commit.gpgsign', 'false']);
  const aibos: GitProject['aibos'] = (args, options = {}) => runCli(args, { cwd: options.cwd ?? project.dir, env: GIT_ENV });
  return { ...project, git, aibos };
}
