/**
 * `aibos approve <seq> --reason TEXT [--env NAME] [--url URL]`: records, in the
 * target database, that the connected database user approves migration <seq>
 * as it is now (its checksum) for an environment. The database refuses
 * non-members of the approver role; this command checks first so it can say
 * who is missing what.
 */
import type { Command } from 'commander';
import { connectDatabase, resolveEnvironment } from '../db/connect.js';
import type { Database } from '../db/types.js';
import { AibosError, MigrationError, UsageError } from '../errors.js';
import { extensionsCreatedIn, toRelPath, type MigrationFile } from '../migrations/files.js';
import { loadMigrationSet } from '../lint/project.js';
import { checkApprover, insertApproval, readApprovals, shadowTest, approvalsTable, type ApprovalRecord } from '../runner/approvals.js';
import { approverRoleFor, assessMigration, guardrailsFor, judge, strictestMode, versionOf } from '../runner/guardrails.js';
import { osUser } from '../runner/run.js';
import { action, getConfig, notice } from './shared.js';

interface ApproveFlags {
  reason?: string;
  env?: string;
  url?: string;
  json?: boolean;
}

/** SQLSTATE of a server error, across drivers. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function register(program: Command): void {
  program
    .command('approve')
    .description('approve migration <seq> as it is now (its checksum) for an environment; the approver is the database user')
    .argument('<seq>', 'the migration sequence number, e.g. 105')
    // Not requiredOption: commander checks those before arguments, so a bare `aibos approve` named --reason, not <seq>.
    .option('--reason <text>', 'why it is safe to apply (stored with the approval; required)')
    .option('--env <name>', 'environment whose guardrails and approver role apply (default: defaultEnv)')
    .option('--url <url>', 'database URL (default: DATABASE_URL, then the environment url)')
    .option('--json', 'print the approval as JSON')
    .action(
      action(async (seqArg: string, flags: ApproveFlags, command: Command) => {
        if (!/^\d+$/.test(seqArg)) throw new UsageError(`approve ${seqArg}: expected a migration sequence number such as 105.`);
        const reason = flags.reason?.trim();
        if (!reason)
          throw new UsageError(`--reason is ${flags.reason === undefined ? 'missing' : 'empty'} — say why this migration is safe to apply (aibos approve ${seqArg} --reason "…"); it is stored in the audit trail.`);
        const config = await getConfig(command);
        const env = resolveEnvironment(config, flags.env).name;
        const set = await loadMigrationSet(config);
        const seq = Number(seqArg);
        const matches = set.ups.filter((m) => m.seq === seq);
        if (!matches.length)
          throw new UsageError(`approve ${seqArg}: no up migration numbered ${seq} in ${toRelPath(config.migrationsPath) || '.'} — run aibos migrate status to list them.`);
        if (matches.length > 1) throw new UsageError(`approve ${seqArg}: ${matches.map((m) => m.relPath).join(' and ')} share the number ${seq} — renumber one first.`);
        const migration = matches[0]!;
        if (migration.parsed.syntaxError)
          throw new MigrationError(`${migration.relPath} does not parse (line ${migration.parsed.syntaxError.span.line}: ${migration.parsed.syntaxError.message}) — fix it before approving.`);

        const guardrails = guardrailsFor(config, env);
        const assessment = assessMigration(migration, guardrails);
        const { requirement } = assessment;
        if (requirement.blocked.length)
          throw new MigrationError(
            `${migration.name}: ${requirement.blocked.join(', ')} is blocked in ${env} — an approval cannot run it there; change environments.${env}.guardrails (in review) or split the migration.`,
          );
        const role = approverRoleFor(config, env);

        const { db } = await connectDatabase({ config, url: flags.url, env, applicationName: 'aibos approve', notice, extensions: () => extensionsCreatedIn(set.files) });
        try {
          const record = await approve(db, { config, env, role, migration, earlier: set.ups.filter((m) => m.order < migration.order), reason, assessment });
          const approvals = await readApprovals(db, config, env, [versionOf(migration)]);
          const verdict = judge(assessment, approvals, env, role);
          const need = requirement.approvals;
          if (flags.json) {
            process.stdout.write(
              `${JSON.stringify(
                {
                  approval: { ...record, approvedAt: record.approvedAt.toISOString() },
                  mode: strictestMode(requirement),
                  classes: assessment.classification.classes,
                  approvals: verdict.counted.length,
                  required: need,
                  ready: verdict.allowed,
                },
                null,
                2,
              )}\n`,
            );
          } else {
            const status =
              need === 0
                ? `no approval is required for ${assessment.classification.classes.join(', ') || 'it'} in ${env}; recorded anyway`
                : verdict.allowed
                  ? `${verdict.counted.length} of ${need} approvals — it can be applied with aibos migrate up --env ${env}`
                  : `${verdict.counted.length} of ${need} approvals from distinct approvers — needs ${need - verdict.counted.length} more`;
            process.stdout.write(
              `approved ${migration.name} for ${env} as ${record.approvedBy} (checksum ${record.checksum.slice(0, 12)}${record.shadowVerified ? ', shadow test passed' : ''}): ${status}\n`,
            );
          }
          return 0;
        } finally {
          await db.close();
        }
      }),
    );
}

interface ApproveRequest {
  config: Awaited<ReturnType<typeof getConfig>>;
  env: string;
  role: string;
  migration: MigrationFile;
  earlier: MigrationFile[];
  reason: string;
  assessment: ReturnType<typeof assessMigration>;
}

async function approve(db: Database, request: ApproveRequest): Promise<ApprovalRecord> {
  const { config, env, role, migration } = request;
  const table = `${config.history.schema}.${config.history.approvalsTable}`;
  const check = await checkApprover(db, config, role);
  // Who may approve first: a non-member learns that, whatever state the tables are in.
  if (!check.roleExists)
    throw new MigrationError(
      `the approver role "${role}" for ${env} does not exist on ${db.target} — an administrator creates it once (CREATE ROLE ${role} NOLOGIN; GRANT ${role} TO ${check.user};), then aibos migrate up --env ${env} grants it INSERT on ${table}.`,
    );
  if (!check.member)
    throw new MigrationError(
      `user "${check.user}" is not a member of the approver role "${role}" for ${env}, so it cannot approve ${migration.name} — ask an administrator (GRANT ${role} TO ${check.user};) or approve as a member.`,
    );
  if (!check.tableExists)
    throw new MigrationError(
      `${db.target} has no ${table} yet — run aibos migrate up --env ${env} once as the migration owner (it creates the history tables under the lock, even when guardrails refuse what is pending), then approve again.`,
    );
  if (!check.canInsert)
    throw new MigrationError(
      `user "${check.user}" is in "${role}" but has no INSERT privilege on ${table} — run aibos migrate up --env ${env} as the migration owner (it grants the configured approver roles), or GRANT SELECT, INSERT ON ${table} TO ${role};`,
    );

  let shadowVerified = false;
  if (request.assessment.requirement.shadow) {
    notice(`aibos: shadow test: applying ${request.earlier.length} earlier migration${request.earlier.length === 1 ? '' : 's'} and ${migration.name} on an in-memory database…`);
    const outcome = await shadowTest(request.earlier, migration);
    if (!outcome.ok)
      throw new MigrationError(
        outcome.failedFile === migration.name
          ? `shadow test failed: ${migration.name} does not apply on a fresh database with every earlier migration: ${outcome.error} — no approval was recorded.`
          : `shadow test could not build the database: earlier migration ${outcome.failedFile} failed: ${outcome.error} — no approval was recorded.`,
      );
    shadowVerified = true;
  }

  try {
    return await db.transaction((tx) =>
      insertApproval(tx, config, {
        version: versionOf(migration),
        name: migration.name,
        checksum: migration.checksum,
        environment: env,
        approverRole: role,
        osUser: osUser(),
        author: migration.parsed.header.author,
        reason: request.reason,
        classes: request.assessment.classification.classes,
        shadowVerified,
      }),
    );
  } catch (error) {
    if (error instanceof AibosError) throw error;
    const state = sqlState(error);
    const message = (error as Error).message;
    if (state === '23505')
      throw new MigrationError(`${check.user} has already approved ${migration.name} for ${env} at checksum ${migration.checksum.slice(0, 12)} — a second approval must come from another user.`);
    if (state === '42501' || state === '42704') throw new MigrationError(`the database refused the approval: ${message} — ${approvalsTable(config)} accepts only members of "${role}".`);
    throw error;
  }
}
