/**
 * Guardrails, approvals and the audit trail on the real local PostgreSQL,
 * through the real CLI. Each run creates its own database and LOGIN roles
 * (random names) and drops them afterwards; the approver role is per-run too,
 * so a cluster-wide `aibos_admin` is never touched.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.js';
import type { Database } from '../../src/db/types.js';
import { runCli, sum as sumIn, tempProject, TENANTS_DOWN, TENANTS_UP, type TempProject } from '../helpers/project.js';

const ADMIN_URL = process.env.AIBOS_TEST_DATABASE_URL;

// The sample migrations comply with every lint rule the runner gates on in
// prod (headers, a down file for every up, IF [NOT] EXISTS, soft delete in
// finance, RLS with a tenant policy, tenant_id FK + leading index), so each
// refusal below comes from the guardrail, not from the linter.
const ACCOUNTS_UP = `-- author: ana
-- reason: chart of accounts
CREATE SCHEMA IF NOT EXISTS finance;
CREATE TABLE IF NOT EXISTS finance.accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),
  name text NOT NULL,
  balance numeric(12,2) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX IF NOT EXISTS accounts_tenant_id_idx ON finance.accounts (tenant_id);
ALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance.accounts FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS accounts_tenant_isolation ON finance.accounts;
CREATE POLICY accounts_tenant_isolation ON finance.accounts
  USING (tenant_id = current_setting('app.tenant_id', true)::uuid)
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true)::uuid);
`;
const ACCOUNTS_DOWN = `DROP TABLE IF EXISTS finance.accounts;\nDROP SCHEMA IF EXISTS finance;\n`;

const ADD_NOTE = `-- author: ben
-- reason: free-text note on accounts
ALTER TABLE finance.accounts ADD COLUMN IF NOT EXISTS note text;
`;
const ADD_NOTE_DOWN = 'ALTER TABLE finance.accounts DROP COLUMN IF EXISTS note;\n';
// review-alter-column-type is a warn-level lint finding; the ack records that a
// human looked at it, and the prod guardrail still asks for two approvers.
const WIDEN_BALANCE = `-- author: ana
-- reason: balances above 10 billion
-- aibos-ack review-alter-column-type: widening only, reviewed through the prod approvals below
ALTER TABLE finance.accounts ALTER COLUMN balance TYPE numeric(20,4);
`;
const WIDEN_BALANCE_DOWN = `-- aibos-ack review-alter-column-type: rollback of the widening
ALTER TABLE finance.accounts ALTER COLUMN balance TYPE numeric(12,2);
`;
const INDEX_NAME = (column: string) => `-- author: ben
-- reason: search accounts by name
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_name_idx ON finance.accounts (${column});
`;
const INDEX_NAME_DOWN = 'DROP INDEX CONCURRENTLY IF EXISTS finance.accounts_name_idx;\n';
const DROP_NOTE = `-- author: ben
-- reason: note was never used
ALTER TABLE finance.accounts DROP COLUMN IF EXISTS note;
`;
const DROP_NOTE_DOWN = 'ALTER TABLE finance.accounts ADD COLUMN IF NOT EXISTS note varchar(500);\n';

describe.runIf(Boolean(ADMIN_URL))('guardrails and approvals on PostgreSQL (real CLI)', () => {
  const suffix = randomBytes(4).toString('hex');
  const dbName = `aibos_guard_${suffix}`;
  const approvers = `aibos_appr_${suffix}`;
  const alice = `alice_${suffix}`;
  const bob = `bob_${suffix}`;
  const mallory = `mallory_${suffix}`;
  let admin: Database;
  let db: Database;
  let project: TempProject;
  let urlFor: (user: string) => string;
  const PROJECT_CONFIG = { environments: { prod: { approverRole: approvers }, dev: { approverRole: approvers } } };

  const cli = (args: string[], user = 'postgres') => runCli([...args, '--url', urlFor(user)], { cwd: project.dir });
  const up = (user = 'postgres') => cli(['migrate', 'up', '--env', 'prod'], user);
  const approve = (seq: string, user: string, reason = 'reviewed in PR') => cli(['approve', seq, '--env', 'prod', '--reason', reason], user);
  const sum = () => sumIn(project.dir);
  const applied = async () => (await db.query<{ version: string }>('SELECT version::text AS version FROM aibos.schema_migrations ORDER BY version')).map((r) => Number(r.version));
  const columnType = async (column: string) =>
    (
      await db.query<{ t: string }>(
        `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'finance.accounts'::regclass AND attname = $1 AND NOT attisdropped`,
        [column],
      )
    )[0]?.t;

  beforeAll(async () => {
    const base = new URL(ADMIN_URL!);
    urlFor = (user) => `postgres://${user}@${base.hostname}:${base.port || 5432}/${dbName}`;
    admin = await openPostgres(ADMIN_URL!);
    await admin.exec(`CREATE DATABASE ${dbName}`);
    await admin.exec(`CREATE ROLE ${approvers} NOLOGIN;
      CREATE ROLE ${alice} LOGIN IN ROLE ${approvers};
      CREATE ROLE ${bob} LOGIN IN ROLE ${approvers};
      CREATE ROLE ${mallory} LOGIN;`);
    db = await openPostgres(urlFor('postgres'));
    project = tempProject({
      '.aibosrc.json': JSON.stringify(PROJECT_CONFIG),
      'migrations/001_kernel_create_tenants.sql': TENANTS_UP,
      'migrations/001_down.sql': TENANTS_DOWN,
      'migrations/101_finance_create_accounts.sql': ACCOUNTS_UP,
      'migrations/101_down.sql': ACCOUNTS_DOWN,
    });
    await sum();
  });

  afterAll(async () => {
    await db?.close();
    if (admin) {
      await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.exec(`DROP ROLE IF EXISTS ${alice}; DROP ROLE IF EXISTS ${bob}; DROP ROLE IF EXISTS ${mallory}; DROP ROLE IF EXISTS ${approvers};`);
      await admin.close();
    }
    project?.cleanup();
  });

  it('applies create-table migrations in prod without approval (auto)', async () => {
    const r = await up();
    expect(r.stderr + r.stdout).not.toMatch(/refused/);
    expect(r.exitCode).toBe(0);
    expect(await applied()).toEqual([1, 101]);
  });

  it('refuses an add-column migration in prod until a member of the approver role approves it', async () => {
    project.write('migrations/102_finance_add_accounts_note.sql', ADD_NOTE);
    project.write('migrations/102_down.sql', ADD_NOTE_DOWN);
    await sum();

    const refused = await up();
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('102_finance_add_accounts_note.sql needs approval for add-column in prod: 0 of 1 approvals for checksum');
    expect(refused.stderr).toContain(`aibos approve 102 --env prod`);
    expect(await applied()).toEqual([1, 101]);
    expect(await columnType('note')).toBeUndefined();

    const approved = await approve('102', alice, 'nullable column, no rewrite');
    expect(approved.stderr).toBe('');
    expect(approved.exitCode).toBe(0);
    expect(approved.stdout).toContain(`approved 102_finance_add_accounts_note.sql for prod as ${alice}`);
    expect(approved.stdout).toContain('1 of 1 approvals');

    const [row] = await db.query<{ approved_by: string; approver_role: string; reason: string }>(
      `SELECT approved_by, approver_role, reason FROM aibos.migration_approvals WHERE version = 102`,
    );
    expect(row).toEqual({ approved_by: alice, approver_role: approvers, reason: 'nullable column, no rewrite' });
  });

  it('voids an approval when the migration is edited afterwards', async () => {
    project.write('migrations/102_finance_add_accounts_note.sql', ADD_NOTE.replace('note text', 'note varchar(500)'));
    await sum();
    const refused = await up();
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('needs approval for add-column in prod: 0 of 1 approvals');
    expect(refused.stderr).toContain(`1 earlier approval (${alice}) no longer counts: the file changed after it`);

    const again = await approve('102', alice, 'varchar(500) instead of text');
    expect(again.exitCode).toBe(0);
    const ok = await up();
    expect(ok.stderr).not.toContain('refused');
    expect(ok.exitCode).toBe(0);
    expect(await applied()).toEqual([1, 101, 102]);
    expect(await columnType('note')).toBe('character varying(500)');
  });

  it('lets nobody outside the approver role approve: the CLI says so and the database has no INSERT for them', async () => {
    project.write('migrations/103_finance_alter_accounts_balance.sql', WIDEN_BALANCE);
    project.write('migrations/103_down.sql', WIDEN_BALANCE_DOWN);
    await sum();

    const r = await approve('103', mallory);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`user "${mallory}" is not a member of the approver role "${approvers}" for prod`);
    expect(r.stdout).toBe('');

    const asMallory = await openPostgres(urlFor(mallory));
    try {
      const error = await asMallory
        .query(
          `INSERT INTO aibos.migration_approvals (version, name, checksum, environment, approver_role, reason) VALUES (103, 'x', 'y', 'prod', $1, 'me')`,
          [approvers],
        )
        .then(() => undefined, (e: { code?: string }) => e);
      expect(error?.code).toBe('42501');
    } finally {
      await asMallory.close();
    }

    // A member cannot approve in someone else's name, nor rewrite or delete approvals.
    const asAlice = await openPostgres(urlFor(alice));
    try {
      const [row] = await asAlice.query<{ approved_by: string }>(
        `INSERT INTO aibos.migration_approvals (version, name, checksum, environment, approver_role, reason, approved_by) VALUES (999, 'x', 'y', 'staging', $1, 'forged', $2) RETURNING approved_by`,
        [approvers, bob],
      );
      expect(row?.approved_by).toBe(alice);
      const update = await asAlice.query(`UPDATE aibos.migration_approvals SET approved_by = 'nobody'`).then(() => undefined, (e: { code?: string }) => e);
      expect(update?.code).toBe('42501');
    } finally {
      await asAlice.close();
    }
    const del = await db.query(`DELETE FROM aibos.migration_approvals`).then(() => undefined, (e: { message?: string }) => e);
    expect(del?.message).toContain('append-only');
  });

  it('needs two distinct approvers for a column type change in prod (review)', async () => {
    const refused = await up();
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('103_finance_alter_accounts_balance.sql needs review for alter-column-type in prod: 0 of 2 approvals from distinct approvers');

    const first = await approve('103', alice, 'checked the rewrite window');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('1 of 2 approvals from distinct approvers — needs 1 more');

    const twice = await approve('103', alice, 'again');
    expect(twice.exitCode).toBe(1);
    expect(twice.stderr).toContain(`${alice} has already approved 103_finance_alter_accounts_balance.sql for prod`);

    const stillRefused = await up();
    expect(stillRefused.exitCode).toBe(1);
    expect(stillRefused.stderr).toContain(`1 of 2 approvals from distinct approvers (${alice})`);
    expect(await columnType('balance')).toBe('numeric(12,2)');

    const second = await approve('103', bob, 'DBA review done');
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('2 of 2 approvals');
    const ok = await up();
    expect(ok.exitCode).toBe(0);
    expect(await columnType('balance')).toBe('numeric(20,4)');
  });

  it('shadow-tests an index before recording its approval (shadow+approval)', async () => {
    project.write('migrations/104_finance_index_accounts_name.sql', INDEX_NAME('nmae'));
    project.write('migrations/104_down.sql', INDEX_NAME_DOWN);
    await sum();
    const failing = await approve('104', alice);
    expect(failing.exitCode).toBe(1);
    expect(failing.stderr).toContain('shadow test failed: 104_finance_index_accounts_name.sql does not apply');
    expect(failing.stderr).toContain('nmae');
    expect(await db.query(`SELECT 1 FROM aibos.migration_approvals WHERE version = 104`)).toHaveLength(0);

    project.write('migrations/104_finance_index_accounts_name.sql', INDEX_NAME('name'));
    await sum();
    const refused = await up();
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('needs a shadow test and approval for add-index in prod');

    const passing = await approve('104', alice);
    expect(passing.exitCode).toBe(0);
    expect(passing.stdout).toContain('shadow test passed');
    const ok = await up();
    expect(ok.exitCode).toBe(0);
    expect(await db.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'accounts_name_idx'`)).toHaveLength(1);
  });

  it('never runs drop-column in prod, approval or not', async () => {
    // ban-drop-column would stop this file at the lint gate; the team turns it
    // off to show that the prod guardrail refuses drop-column on its own.
    project.write('.aibosrc.json', JSON.stringify({ ...PROJECT_CONFIG, rules: { 'ban-drop-column': 'off' } }));
    project.write('migrations/105_finance_drop_accounts_note.sql', DROP_NOTE);
    project.write('migrations/105_down.sql', DROP_NOTE_DOWN);
    await sum();
    const lint = await runCli(['lint', '--env', 'prod'], { cwd: project.dir });
    expect(lint.exitCode).toBe(0);
    const refused = await up();
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('105_finance_drop_accounts_note.sql: drop-column is blocked in prod');
    const approval = await approve('105', alice);
    expect(approval.exitCode).toBe(1);
    expect(approval.stderr).toContain('drop-column is blocked in prod');
    expect(await columnType('note')).toBe('character varying(500)');
    expect(await applied()).toEqual([1, 101, 102, 103, 104]);
    unlinkSync(path.join(project.dir, 'migrations/105_finance_drop_accounts_note.sql'));
    unlinkSync(path.join(project.dir, 'migrations/105_down.sql'));
    project.write('.aibosrc.json', JSON.stringify(PROJECT_CONFIG));
    await sum();
  });

  it('keeps an append-only audit trail naming approvers and appliers, newest first', async () => {
    const r = await cli(['migrate', 'history', '--json']);
    expect(r.exitCode).toBe(0);
    const parsed = JSON.parse(r.stdout) as unknown;
    const events = (Array.isArray(parsed) ? parsed : (parsed as { events: unknown[] }).events) as {
      event: string;
      version: number;
      actor: string;
      env: string | null;
      author: string | null;
      reason: string | null;
      detail: { approvedBy?: string } | null;
    }[];
    const approvals = events.filter((e) => e.event === 'approve' && e.env === 'prod');
    expect(approvals.map((e) => [e.version, e.detail?.approvedBy])).toEqual([
      [104, alice],
      [103, bob],
      [103, alice],
      [102, alice],
      [102, alice],
    ]);
    expect(approvals.find((e) => e.version === 103 && e.detail?.approvedBy === bob)).toMatchObject({ env: 'prod', reason: 'DBA review done', author: 'ana' });
    expect(approvals[0]!.actor).toContain(alice);
    const ups = events.filter((e) => e.event === 'up');
    expect(ups.map((e) => e.version)).toEqual([104, 103, 102, 101, 1]);
    expect(ups.every((e) => e.actor.startsWith('postgres') && e.env === 'prod')).toBe(true);

    const human = await cli(['migrate', 'history']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain(bob);
    // BY is the approver; WHY is the approval's reason, not the migration's header author (ana) beside it.
    const bobsApproval = human.stdout.split('\n').find((l) => / approve /.test(l) && l.includes(bob))!;
    expect(bobsApproval).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+approve\\s+103\\s+103_finance_alter_accounts_balance\\.sql\\s+prod\\s+${bob} \\(os: .+\\)\\s+approval reason: DBA review done$`));
    expect(human.stdout.split('\n').find((l) => / up +103 /.test(l))).toMatch(/\s+author: ana; reason: balances above 10 billion$/);

    const tamper = await db.query(`UPDATE aibos.migration_events SET actor = 'someone else'`).then(() => undefined, (e: { message?: string }) => e);
    expect(tamper?.message).toContain('append-only');
  });
});
