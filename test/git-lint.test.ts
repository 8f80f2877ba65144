import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, ACCOUNTS_BAD, ACCOUNTS_DOWN, ACCOUNTS_GOOD, GIT_ENV, gitProject, repoWithTenants, type GitProject } from './helpers/git.js';
import { lintJson, ROOT, runCli, TENANTS_DOWN, TENANTS_UP, tempProject, tenantTableDown, tenantTableUp, type JsonReport, type TempProject } from './helpers/project.js';

let project: GitProject | TempProject | undefined;
afterEach(() => project?.cleanup());

const LEDGERS = 'migrations/102_finance_create_ledgers.sql';
const LEDGERS_DOWN = 'migrations/102_down.sql';
/** Passes every rule, like ACCOUNTS_GOOD and the down files: the tests below break one thing at a time. */
const LEDGER_GOOD = tenantTableUp('finance.ledgers', ['balance_cents bigint NOT NULL']);

/** Writes the accounts migration (`up`) and its down file to the working copy. */
function writeAccounts(p: GitProject, up: string): void {
  p.write(ACCOUNTS, up);
  p.write(ACCOUNTS_DOWN, tenantTableDown('finance.accounts'));
}

function writeLedgers(p: GitProject, up: string): void {
  p.write(LEDGERS, up);
  p.write(LEDGERS_DOWN, tenantTableDown('finance.ledgers'));
}

const brief = (report: JsonReport) => report.diagnostics.map((d) => `${d.ruleId} ${d.file}:${d.line}:${d.column}`);

describe('aibos lint --staged', () => {
  it('lints the staged content, not the working copy', async () => {
    const p = (project = await repoWithTenants());
    writeAccounts(p, ACCOUNTS_BAD);
    await p.aibos(['sum']);
    await p.git(['add', '-A']);
    // The working copy is fixed (and summed) after staging; the commit would still carry the bad file.
    writeAccounts(p, ACCOUNTS_GOOD);
    await p.aibos(['sum']);
    expect((await p.aibos(['lint'])).exitCode).toBe(0);
    const { report, exitCode } = await lintJson(p.dir, ['--staged'], GIT_ENV);
    expect(exitCode).toBe(1);
    expect(brief(report)).toEqual([`require-tenant-id ${ACCOUNTS}:3:28`]);
  });

  it('refuses a staged migration whose aibos.sum was not staged with it, naming the file and `aibos sum`', async () => {
    const p = (project = await repoWithTenants());
    writeAccounts(p, ACCOUNTS_GOOD);
    await p.git(['add', ACCOUNTS, ACCOUNTS_DOWN]);
    await p.aibos(['sum']); // written to the working copy only
    const { report, exitCode } = await lintJson(p.dir, ['--staged'], GIT_ENV);
    expect(exitCode).toBe(1);
    expect(report.diagnostics).toMatchObject([
      { ruleId: 'migration-checksum', file: ACCOUNTS, level: 'block', message: '101_finance_create_accounts.sql is not listed in aibos.sum — run `aibos sum`' },
      { ruleId: 'migration-checksum', file: ACCOUNTS_DOWN, level: 'block', message: '101_down.sql is not listed in aibos.sum — run `aibos sum`' },
    ]);
    await p.git(['add', 'migrations/aibos.sum']);
    const after = await lintJson(p.dir, ['--staged'], GIT_ENV);
    expect(after.exitCode).toBe(0);
    expect(after.report.diagnostics).toEqual([]);
  });

  it('reports a staged deletion through the stale aibos.sum', async () => {
    const p = (project = await repoWithTenants());
    writeAccounts(p, ACCOUNTS_GOOD);
    await p.aibos(['sum']);
    await p.git(['add', '-A']);
    await p.git(['commit', '-q', '-m', 'accounts']);
    await p.git(['rm', '-q', ACCOUNTS]);
    const { report, exitCode } = await lintJson(p.dir, ['--staged'], GIT_ENV);
    expect(exitCode).toBe(1);
    expect(report.diagnostics).toMatchObject([
      { ruleId: 'migration-checksum', file: 'migrations/aibos.sum', message: 'aibos.sum lists 101_finance_create_accounts.sql, which is not in migrations — restore it, or run `aibos sum` if it was never applied' },
    ]);
  });

  it('reports only the files the commit changes, with the earlier history as context', async () => {
    const p = (project = await repoWithTenants());
    // A finding already committed (with --no-verify, say) is not this commit's concern...
    writeAccounts(p, ACCOUNTS_BAD);
    await p.aibos(['sum']);
    await p.git(['add', '-A']);
    await p.git(['commit', '-q', '-m', 'accounts without tenant_id']);
    // ...while the new file still sees kernel.tenants from 001 (its REFERENCES resolve, no findings).
    writeLedgers(p, LEDGER_GOOD);
    await p.aibos(['sum']);
    await p.git(['add', '-A']);
    const { report, exitCode } = await lintJson(p.dir, ['--staged'], GIT_ENV);
    expect(exitCode).toBe(0);
    expect(report.summary).toMatchObject({ files: 6, block: 0, failed: false });
    expect((await p.aibos(['lint'])).exitCode).toBe(1);
  });

  it('passes with a notice when the index has no migration changes', async () => {
    const p = (project = await repoWithTenants());
    p.write('README.md', 'docs\n');
    await p.git(['add', 'README.md']);
    const r = await p.aibos(['lint', '--staged']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('aibos: the index has no changes under migrations — nothing to check.');
    // No '✔ 2 files checked' summary contradicting it.
    expect(r.stdout).toBe('');
  });

  it('works in a repository without commits yet', async () => {
    const p = (project = await gitProject({ 'migrations/001_kernel_create_tenants.sql': TENANTS_UP, 'migrations/001_down.sql': TENANTS_DOWN, [ACCOUNTS]: ACCOUNTS_BAD, [ACCOUNTS_DOWN]: tenantTableDown('finance.accounts') }));
    await p.aibos(['sum']);
    await p.git(['add', '-A']);
    const { report, exitCode } = await lintJson(p.dir, ['--staged'], GIT_ENV);
    expect(exitCode).toBe(1);
    expect(brief(report)).toEqual([`require-tenant-id ${ACCOUNTS}:3:28`]);
  });

  it('exits 2 outside a git repository', async () => {
    project = tempProject({ 'migrations/001_kernel_create_tenants.sql': TENANTS_UP });
    const r = await runCli(['lint', '--staged'], { cwd: project.dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(project.dir), GIT_DIR: undefined } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('lint --staged needs a git repository');
    expect(r.stdout).toBe('');
  });

  it('exits 2 when git is not installed, saying so', async () => {
    project = tempProject({ 'migrations/001_kernel_create_tenants.sql': TENANTS_UP });
    // Node by its full path, and a PATH on which there is no git.
    const r = await execa(process.execPath, [path.join(ROOT, 'bin', 'aibos.js'), 'lint', '--staged'], { cwd: project.dir, env: { PATH: project.dir, NO_COLOR: '1' }, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('aibos: lint --staged needs git, which could not be started (spawn git ENOENT) — install git and make sure it is on PATH.');
    expect(r.stdout).toBe('');
  });
});

describe('how lint --staged finds the repository', () => {
  // From the folders (.git in the working directory or above) when nothing in the environment moves git's
  // search; with GIT_DIR and friends set, git itself is asked. Both find the same staged content.
  it('gives the same findings when GIT_DIR and GIT_WORK_TREE say where the repository is', async () => {
    const p = (project = await repoWithTenants());
    writeAccounts(p, ACCOUNTS_BAD);
    await p.aibos(['sum']);
    await p.git(['add', '-A']);
    const byFolders = await lintJson(p.dir, ['--staged'], GIT_ENV);
    const byGit = await lintJson(p.dir, ['--staged'], { ...GIT_ENV, GIT_DIR: path.join(p.dir, '.git'), GIT_WORK_TREE: p.dir });
    expect(byFolders.exitCode).toBe(1);
    expect(brief(byFolders.report)).toEqual([`require-tenant-id ${ACCOUNTS}:3:28`]);
    expect(byGit.exitCode).toBe(1);
    expect(brief(byGit.report)).toEqual(brief(byFolders.report));
  });

  it('exits 2 inside a repository when git is not installed, saying so', async () => {
    const p = (project = await repoWithTenants());
    const r = await execa(process.execPath, [path.join(ROOT, 'bin', 'aibos.js'), 'lint', '--staged'], { cwd: p.dir, env: { PATH: p.dir, NO_COLOR: '1' }, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('aibos: lint --staged needs git, which could not be started (spawn git ENOENT) — install git and make sure it is on PATH.');
    expect(r.stdout).toBe('');
  });

  it('exits 2 inside a repository when git is not installed, for --base too', async () => {
    const p = (project = await repoWithTenants());
    const r = await execa(process.execPath, [path.join(ROOT, 'bin', 'aibos.js'), 'lint', '--base', 'HEAD'], { cwd: p.dir, env: { PATH: p.dir, NO_COLOR: '1' }, extendEnv: false, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('aibos: lint --base needs git, which could not be started (spawn git ENOENT) — install git and make sure it is on PATH.');
  });
});

describe('.sql.postgres migrations (dialect variants kept next to .sql.sqlite ones)', () => {
  const VARIANT = 'migrations/legacy/201_finance_create_notes.sql.postgres';

  it('--staged lints them as a plain lint does', async () => {
    const p = (project = await repoWithTenants());
    p.write(VARIANT, ACCOUNTS_BAD.replaceAll('finance.accounts', 'finance.notes'));
    const plain = await lintJson(p.dir, [], GIT_ENV);
    const onVariant = plain.report.diagnostics.filter((d) => d.file === VARIANT);
    expect(onVariant.map((d) => d.ruleId)).toContain('require-tenant-id');
    await p.git(['add', '-A']);
    const staged = await lintJson(p.dir, ['--staged'], GIT_ENV);
    expect(staged.report.diagnostics.filter((d) => d.file === VARIANT)).toEqual(onVariant);
  });

  it('--base reports one edited since the ref', async () => {
    const p = (project = await repoWithTenants());
    p.write(VARIANT, ACCOUNTS_GOOD.replaceAll('finance.accounts', 'finance.notes'));
    await p.git(['add', '-A']);
    await p.git(['commit', '-q', '-m', 'notes']);
    p.write(VARIANT, ACCOUNTS_GOOD.replaceAll('finance.accounts', 'finance.notes').replace('-- reason: accounts', '-- reason: notes'));
    const { report } = await lintJson(p.dir, ['--base', 'HEAD'], GIT_ENV);
    const edited = report.diagnostics.filter((d) => d.file === VARIANT && d.ruleId === 'migration-checksum');
    expect(edited).toMatchObject([{ level: 'block', line: 1 }]);
    expect(edited[0]!.message).toMatch(/^201_finance_create_notes\.sql\.postgres existed at HEAD and was edited \(was [0-9a-f]{12}\.\.\., now [0-9a-f]{12}\.\.\.\)$/);
    // Its other findings are those of a plain lint (no grammar name, no down file it could pair with).
    const down = report.diagnostics.find((d) => d.file === VARIANT && d.ruleId === 'require-down-file');
    expect(down?.help).toMatch(/^add a down file next to it/);
  });
});

describe('aibos lint --base', () => {
  async function repoWithAccounts(): Promise<GitProject> {
    const p = await repoWithTenants();
    writeAccounts(p, ACCOUNTS_GOOD);
    await p.aibos(['sum']);
    await p.git(['add', '-A']);
    await p.git(['commit', '-q', '-m', 'accounts']);
    return p;
  }

  it('is silent when nothing that existed at the ref changed', async () => {
    const p = (project = await repoWithAccounts());
    writeLedgers(p, LEDGER_GOOD);
    await p.aibos(['sum']);
    const { report, exitCode } = await lintJson(p.dir, ['--base', 'HEAD'], GIT_ENV);
    expect(exitCode).toBe(0);
    expect(report.diagnostics).toEqual([]);
  });

  it('catches a migration edited since the ref, even with aibos.sum rewritten', async () => {
    const p = (project = await repoWithAccounts());
    p.write(ACCOUNTS, ACCOUNTS_GOOD.replace('-- reason: accounts', '-- reason: accounts, reworded'));
    await p.aibos(['sum']);
    expect((await p.aibos(['lint'])).exitCode).toBe(0);
    const { report, exitCode } = await lintJson(p.dir, ['--base', 'HEAD'], GIT_ENV);
    expect(exitCode).toBe(1);
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({ ruleId: 'migration-checksum', level: 'block', file: ACCOUNTS, line: 1 });
    expect(report.diagnostics[0]!.message).toMatch(/^101_finance_create_accounts\.sql existed at HEAD and was edited \(was [0-9a-f]{12}\.\.\., now [0-9a-f]{12}\.\.\.\)$/);
    expect(report.diagnostics[0]!.help).toContain(`git checkout HEAD -- ${ACCOUNTS}`);
  });

  it('catches a migration deleted since the ref', async () => {
    const p = (project = await repoWithAccounts());
    // The pair goes together: a down file left behind would be reported for dropping a table nobody creates.
    rmSync(path.join(p.dir, ACCOUNTS));
    rmSync(path.join(p.dir, ACCOUNTS_DOWN));
    await p.aibos(['sum']);
    const { report, exitCode } = await lintJson(p.dir, ['--base', 'HEAD'], GIT_ENV);
    expect(exitCode).toBe(1);
    expect(report.diagnostics).toMatchObject([
      { ruleId: 'migration-checksum', file: ACCOUNTS_DOWN, message: `${ACCOUNTS_DOWN} existed at HEAD and was deleted` },
      { ruleId: 'migration-checksum', file: ACCOUNTS, message: `${ACCOUNTS} existed at HEAD and was deleted` },
    ]);
  });

  it('catches a migration renamed since the ref', async () => {
    const p = (project = await repoWithAccounts());
    await p.git(['mv', ACCOUNTS, 'migrations/105_finance_create_accounts.sql']);
    await p.git(['mv', ACCOUNTS_DOWN, 'migrations/105_down.sql']);
    await p.aibos(['sum']);
    const { report, exitCode } = await lintJson(p.dir, ['--base', 'HEAD'], GIT_ENV);
    expect(exitCode).toBe(1);
    expect(report.diagnostics).toMatchObject([
      { ruleId: 'migration-checksum', file: 'migrations/105_finance_create_accounts.sql', message: '105_finance_create_accounts.sql is 101_finance_create_accounts.sql renamed since HEAD' },
      { ruleId: 'migration-checksum', file: 'migrations/105_down.sql', message: '105_down.sql is 101_down.sql renamed since HEAD' },
    ]);
  });

  it('compares a branch with the ref it started from, in a project below the top of the repository', async () => {
    const p = (project = await gitProject({ 'db/migrations/001_kernel_create_tenants.sql': TENANTS_UP, 'db/migrations/001_down.sql': TENANTS_DOWN, 'db/.aibosrc.json': '{ "migrationsDir": "migrations" }\n' }));
    const db = path.join(p.dir, 'db');
    await p.aibos(['sum'], { cwd: db });
    await p.git(['add', '-A']);
    await p.git(['commit', '-q', '-m', 'tenants']);
    await p.git(['checkout', '-q', '-b', 'feature']);
    p.write('db/migrations/001_kernel_create_tenants.sql', TENANTS_UP + '-- tweak\n');
    await p.aibos(['sum'], { cwd: db });
    await p.git(['commit', '-q', '-am', 'edit an applied migration']);
    const r = await p.aibos(['lint', '--base', 'main', '--format', 'github'], { cwd: db });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error file=migrations/001_kernel_create_tenants.sql,line=1,col=1,endLine=1,endColumn=1,title=migration-checksum::001_kernel_create_tenants.sql existed at main and was edited');
  });

  it('says "run aibos sum" for a file that is new since the ref and edited after summing', async () => {
    const p = (project = await repoWithAccounts());
    writeLedgers(p, LEDGER_GOOD);
    await p.aibos(['sum']);
    p.write(LEDGERS, LEDGER_GOOD + '-- one more thought\n');
    const { report } = await lintJson(p.dir, ['--base', 'HEAD'], GIT_ENV);
    expect(report.diagnostics).toMatchObject([
      { ruleId: 'migration-checksum', file: 'migrations/102_finance_create_ledgers.sql', message: '102_finance_create_ledgers.sql changed since aibos.sum was written; it is new since HEAD, so run `aibos sum`' },
    ]);
  });

  it('exits 2 naming a ref that does not exist', async () => {
    const p = (project = await repoWithAccounts());
    const r = await p.aibos(['lint', '--base', 'origin/nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--base origin/nope: no such commit in this repository');
    expect(r.stdout).toBe('');
  });

  it('exits 2 outside a git repository', async () => {
    project = tempProject({ 'migrations/001_kernel_create_tenants.sql': TENANTS_UP });
    const r = await runCli(['lint', '--base', 'HEAD'], { cwd: project.dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(project.dir), GIT_DIR: undefined } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('lint --base needs a git repository');
  });
});

describe('examples/github-actions.yml', () => {
  it('runs as written on a pull-request checkout (origin/<base> present)', async () => {
    const workflow = readFileSync(path.join(ROOT, 'examples/github-actions.yml'), 'utf8');
    const commands = [...workflow.matchAll(/^\s+run: npx aibos (.+)$/gm)].map((m) => m[1]!.replace('"origin/$BASE_REF"', 'origin/main').split(' '));
    expect(commands).toEqual([
      ['lint', '--base', 'origin/main', '--format', 'sarif', '--output', 'aibos.sarif'],
      ['lint', '--base', 'origin/main', '--format', 'github'],
    ]);
    const upstream = await repoWithTenants();
    const clone = tempProject();
    try {
      await upstream.git(['clone', '-q', upstream.dir, clone.dir]);
      const p = clone;
      const inClone = (args: string[]) => runCli(args, { cwd: p.dir, env: GIT_ENV });
      p.write('migrations/001_kernel_create_tenants.sql', TENANTS_UP + '-- edited on the branch\n');
      await inClone(['sum']);
      const sarif = await inClone(commands[0]!);
      expect(sarif.exitCode).toBe(1);
      const results = JSON.parse(readFileSync(path.join(p.dir, 'aibos.sarif'), 'utf8')).runs[0].results;
      expect(results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['migration-checksum']);
      const annotations = await inClone(commands[1]!);
      expect(annotations.exitCode).toBe(1);
      expect(annotations.stdout).toContain('::error file=migrations/001_kernel_create_tenants.sql,line=1,col=1,endLine=1,endColumn=1,title=migration-checksum::001_kernel_create_tenants.sql existed at origin/main and was edited');
    } finally {
      clone.cleanup();
      upstream.cleanup();
    }
  });
});
