import path from 'node:path';
import { execa } from 'execa';
import { runCli, sum, TENANTS_DOWN, TENANTS_UP, tempProject, tenantTableUp, type CliResult, type TempProject } from './project.js';

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

export const ACCOUNTS = 'migrations/101_finance_create_accounts.sql';
export const ACCOUNTS_DOWN = 'migrations/101_down.sql';
/** Passes every rule (as do the tenants migration and the down files): the tests break one thing at a time, and a commit of it goes through. */
export const ACCOUNTS_GOOD = tenantTableUp('finance.accounts', ['name text NOT NULL']);
/** The same table without tenant_id (so without the tenant key's index and policy): require-tenant-id at 3:28 is its only finding. */
export const ACCOUNTS_BAD =
  '-- author: a\n-- reason: accounts\nCREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), deleted_at timestamptz);\n';

/**
 * A repository whose first commit holds the tenants migration, its aibos.sum (`aibos sum` must exit 0) and
 * `files`; `projectDir` is the aibos project's folder inside the repository.
 */
export async function repoWithTenants(files: Record<string, string> = {}, projectDir = ''): Promise<GitProject> {
  const p = await gitProject({
    [path.posix.join(projectDir, 'migrations/001_kernel_create_tenants.sql')]: TENANTS_UP,
    [path.posix.join(projectDir, 'migrations/001_down.sql')]: TENANTS_DOWN,
    ...files,
  });
  await sum(path.join(p.dir, projectDir), GIT_ENV);
  await p.git(['add', '-A']);
  await p.git(['commit', '-q', '-m', 'tenants']);
  return p;
}
