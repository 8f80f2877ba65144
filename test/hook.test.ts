import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, ACCOUNTS_BAD, ACCOUNTS_DOWN, ACCOUNTS_GOOD, GIT_ENV, repoWithTenants, type GitProject } from './helpers/git.js';
import { BIN, runCli, sum, tempProject, tenantTableDown, type TempProject } from './helpers/project.js';

let project: GitProject | TempProject | undefined;
afterEach(() => project?.cleanup());

const FOREIGN_HOOK = '#!/bin/sh\necho "team hook ran"\nexit 0\n';

async function commitCount(p: GitProject): Promise<number> {
  return Number((await p.git(['rev-list', '--count', 'HEAD'])).stdout.trim());
}

/** Stages the accounts migration (`up`), its down file and an up-to-date aibos.sum, and tries to commit them. */
async function tryCommit(p: GitProject, up: string, projectDir = '') {
  p.write(path.posix.join(projectDir, ACCOUNTS), up);
  p.write(path.posix.join(projectDir, ACCOUNTS_DOWN), tenantTableDown('finance.accounts'));
  await sum(path.join(p.dir, projectDir), GIT_ENV);
  await p.git(['add', '-A']);
  return p.git(['commit', '-m', `add ${ACCOUNTS}`], { reject: false });
}

describe('aibos hook install', () => {
  it('refuses a commit whose staged table lacks tenant_id, and lets the fixed one through', async () => {
    const p = (project = await repoWithTenants());
    const install = await p.aibos(['hook', 'install']);
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Installed the aibos pre-commit hook at .git/hooks/pre-commit');
    const refused = await tryCommit(p, ACCOUNTS_BAD);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('block[require-tenant-id]: table finance.accounts has no tenant_id column');
    expect(refused.stdout + refused.stderr).toContain(`--> ${ACCOUNTS}:3:28`);
    expect(refused.stdout + refused.stderr).toContain('✖ 1 failing finding in 4 files (1 block)');
    expect(await commitCount(p)).toBe(1);
    const accepted = await tryCommit(p, ACCOUNTS_GOOD);
    expect(accepted.exitCode, accepted.stderr).toBe(0);
    expect(await commitCount(p)).toBe(2);
  });

  it('refuses a commit that adds a migration without its aibos.sum line', async () => {
    const p = (project = await repoWithTenants());
    await p.aibos(['hook', 'install']);
    p.write(ACCOUNTS, ACCOUNTS_GOOD);
    p.write(ACCOUNTS_DOWN, tenantTableDown('finance.accounts'));
    await p.git(['add', ACCOUNTS, ACCOUNTS_DOWN]);
    const refused = await p.git(['commit', '-m', 'no sum'], { reject: false });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('block[migration-checksum]: 101_finance_create_accounts.sql is not listed in aibos.sum — run `aibos sum`');
  });

  it('on a commit that touches no migration prints one line saying so, and nothing else', async () => {
    const p = (project = await repoWithTenants());
    await p.aibos(['hook', 'install']);
    p.write('README.md', 'docs only\n');
    await p.git(['add', 'README.md']);
    const commit = await p.git(['commit', '-q', '-m', 'docs']);
    expect(commit.exitCode).toBe(0);
    expect(commit.stderr).toBe('aibos: the index has no changes under migrations — nothing to check.');
    expect(commit.stdout).toBe('');
    expect(await commitCount(p)).toBe(2);
    // Machine formats still print their one document.
    const json = await p.aibos(['lint', '--staged', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ summary: { block: 0, warn: 0, failed: false }, diagnostics: [] });
  });

  it('honours core.hooksPath', async () => {
    const p = (project = await repoWithTenants());
    await p.git(['config', 'core.hooksPath', '.githooks']);
    const install = await p.aibos(['hook', 'install']);
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('.githooks/pre-commit');
    expect(existsSync(path.join(p.dir, '.githooks/pre-commit'))).toBe(true);
    expect(existsSync(path.join(p.dir, '.git/hooks/pre-commit'))).toBe(false);
    const refused = await tryCommit(p, ACCOUNTS_BAD);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('require-tenant-id');
  });

  it('runs in a project below the top of the repository, from the folder it was installed in', async () => {
    const p = (project = await repoWithTenants({ 'db/.aibosrc.json': '{ "migrationsDir": "migrations" }\n' }, 'db'));
    expect((await p.aibos(['hook', 'install'], { cwd: path.join(p.dir, 'db') })).exitCode).toBe(0);
    const refused = await tryCommit(p, ACCOUNTS_BAD, 'db');
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toContain(`--> ${ACCOUNTS}:3:28`);
  });

  it('never overwrites a hook it did not write, and says how to chain', async () => {
    const p = (project = await repoWithTenants());
    const hook = path.join(p.dir, '.git/hooks/pre-commit');
    mkdirSync(path.dirname(hook), { recursive: true });
    writeFileSync(hook, FOREIGN_HOOK, { mode: 0o755 });
    const r = await p.aibos(['hook', 'install']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('.git/hooks/pre-commit already exists and was not written by aibos — left untouched; to chain aibos, add `node ');
    expect(r.stderr).toContain(" lint --staged || exit 1` to it");
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN_HOOK);
  });

  it('updates its own hook in place when run again', async () => {
    const p = (project = await repoWithTenants());
    await p.aibos(['hook', 'install']);
    const again = await p.aibos(['hook', 'install']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('already installed and up to date');
  });

  it('falls back to the project\'s own aibos (npx --no-install) when the installing copy is gone', async () => {
    const p = (project = await repoWithTenants());
    await p.aibos(['hook', 'install']);
    const hook = path.join(p.dir, '.git/hooks/pre-commit');
    writeFileSync(hook, readFileSync(hook, 'utf8').replace(/^aibos_bin=.*$/m, "aibos_bin='/nonexistent/aibos/bin/aibos.js'"));
    // The project has aibos as a local dependency: node_modules/.bin/aibos.
    mkdirSync(path.join(p.dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(BIN, path.join(p.dir, 'node_modules/.bin/aibos'));
    writeFileSync(path.join(p.dir, '.gitignore'), 'node_modules/\n');
    const refused = await tryCommit(p, ACCOUNTS_BAD);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('block[require-tenant-id]');
  });

  it('exits 2 outside a git repository', async () => {
    project = tempProject({});
    const r = await runCli(['hook', 'install'], { cwd: project.dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(project.dir), GIT_DIR: undefined } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('aibos hook install needs a git repository');
  });
});

describe('aibos hook uninstall', () => {
  it('removes only the hook install wrote', async () => {
    const p = (project = await repoWithTenants());
    const hooks = path.join(p.dir, '.git/hooks');
    mkdirSync(hooks, { recursive: true });
    writeFileSync(path.join(hooks, 'commit-msg'), FOREIGN_HOOK, { mode: 0o755 });
    await p.aibos(['hook', 'install']);
    const r = await p.aibos(['hook', 'uninstall']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('Removed the aibos pre-commit hook .git/hooks/pre-commit.');
    expect(readdirSync(hooks)).toEqual(['commit-msg']);
    expect(readFileSync(path.join(hooks, 'commit-msg'), 'utf8')).toBe(FOREIGN_HOOK);
    // With the hook gone, the bad commit goes through.
    expect((await tryCommit(p, ACCOUNTS_BAD)).exitCode).toBe(0);
  });

  it('leaves a foreign pre-commit hook untouched', async () => {
    const p = (project = await repoWithTenants());
    const hook = path.join(p.dir, '.git/hooks/pre-commit');
    mkdirSync(path.dirname(hook), { recursive: true });
    writeFileSync(hook, FOREIGN_HOOK, { mode: 0o755 });
    const r = await p.aibos(['hook', 'uninstall']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('.git/hooks/pre-commit was not written by aibos — left untouched');
    expect(readFileSync(hook, 'utf8')).toBe(FOREIGN_HOOK);
  });

  it('leaves its own hook alone once someone edited it', async () => {
    const p = (project = await repoWithTenants());
    await p.aibos(['hook', 'install']);
    const hook = path.join(p.dir, '.git/hooks/pre-commit');
    const edited = readFileSync(hook, 'utf8').replace('exit 2\n', 'exit 2\n# and run the unit tests too\n');
    writeFileSync(hook, edited);
    const r = await p.aibos(['hook', 'uninstall']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('was written by aibos and edited since — left untouched');
    expect(readFileSync(hook, 'utf8')).toBe(edited);
    expect((await p.aibos(['hook', 'install'])).exitCode).toBe(2);
    expect(readFileSync(hook, 'utf8')).toBe(edited);
  });

  it('says so when there is nothing to remove', async () => {
    const p = (project = await repoWithTenants());
    await p.git(['config', 'core.hooksPath', 'hooks-here']);
    const r = await p.aibos(['hook', 'uninstall']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('No pre-commit hook at hooks-here/pre-commit — nothing to remove.');
  });
});
