/**
 * Environment guardrails (standard §9.3): what each change class needs in an
 * environment, and whether a migration has it. Pure decisions; the database
 * reads live in approvals.ts and the runner calls `enforceGuardrails` once,
 * after planning and before applying anything.
 */
import { STANDARD_GUARDRAILS } from '../config/defaults.js';
import type { ChangeClass, GuardrailMode, ResolvedConfig } from '../config/types.js';
import type { DbSession } from '../db/types.js';
import { MigrationError } from '../errors.js';
import type { MigrationFile } from '../migrations/files.js';
import { CHANGE_CLASSES, classifyMigration, type Classification } from './classify.js';
import { readApprovals, type ApprovalRecord } from './approvals.js';

export const DEFAULT_APPROVER_ROLE = 'aibos_admin';

/** Strictness order, for picking the class that decides what a migration needs. */
const RANK: Record<GuardrailMode, number> = { auto: 0, approval: 1, 'shadow+approval': 2, review: 3, block: 4 };

export type Guardrails = Record<ChangeClass, GuardrailMode>;

/** Every class's mode in `env`: `auto`, then the standard's defaults for that env name, then the config. */
export function guardrailsFor(config: Pick<ResolvedConfig, 'environments'>, env: string): Guardrails {
  const modes = Object.fromEntries(CHANGE_CLASSES.map((c) => [c, 'auto'])) as Guardrails;
  Object.assign(modes, STANDARD_GUARDRAILS[env] ?? {}, config.environments[env]?.guardrails ?? {});
  return modes;
}

export function approverRoleFor(config: Pick<ResolvedConfig, 'environments'>, env: string): string {
  return config.environments[env]?.approverRole ?? DEFAULT_APPROVER_ROLE;
}

/** What one migration needs before it may run in an environment. */
export interface Requirement {
  /** Distinct approvers needed for the current checksum (0 = none). */
  approvals: number;
  /** At least one approval must have passed the shadow test. */
  shadow: boolean;
  /** Classes that never run in this environment. */
  blocked: ChangeClass[];
  /** The non-auto classes and their modes, strictest first: what messages name. */
  because: { class: ChangeClass; mode: GuardrailMode }[];
}

export function requirementOf(classes: readonly ChangeClass[], guardrails: Guardrails): Requirement {
  const because = classes
    .map((c) => ({ class: c, mode: guardrails[c] }))
    .filter((x) => x.mode !== 'auto')
    .sort((a, b) => RANK[b.mode] - RANK[a.mode]);
  const modes = new Set(because.map((b) => b.mode));
  return {
    approvals: modes.has('review') ? 2 : modes.has('approval') || modes.has('shadow+approval') ? 1 : 0,
    shadow: modes.has('shadow+approval'),
    blocked: because.filter((b) => b.mode === 'block').map((b) => b.class),
    because,
  };
}

/** The strictest mode among a migration's classes (`auto` when it has none that need anything). */
export function strictestMode(requirement: Requirement): GuardrailMode {
  return requirement.because[0]?.mode ?? 'auto';
}

export interface Assessment {
  migration: MigrationFile;
  classification: Classification;
  requirement: Requirement;
}

export function assessMigration(migration: MigrationFile, guardrails: Guardrails): Assessment {
  const classification = classifyMigration(migration.parsed.statements);
  return { migration, classification, requirement: requirementOf(classification.classes, guardrails) };
}

/** The version an approval is bound to: the file's sequence number (as the history table's `version`). */
export function versionOf(migration: MigrationFile): string {
  return String(migration.seq ?? migration.order);
}

export interface Verdict {
  assessment: Assessment;
  allowed: boolean;
  /** Approvals that count: current checksum, this environment, its approver role. */
  counted: ApprovalRecord[];
  /** Approvals of this migration in this environment made for an earlier checksum (voided by an edit). */
  stale: ApprovalRecord[];
  /** One line naming the migration, the class and what is missing (empty when allowed). */
  message: string;
}

const short = (checksum: string) => checksum.slice(0, 12);
const names = (list: ApprovalRecord[]) => [...new Set(list.map((a) => a.approvedBy))].join(', ');

/** Decides one migration against the approvals recorded for it. */
export function judge(assessment: Assessment, approvals: readonly ApprovalRecord[], env: string, approverRole: string): Verdict {
  const { migration, requirement } = assessment;
  const mine = approvals.filter((a) => a.version === versionOf(migration) && a.environment === env && a.approverRole === approverRole);
  const current = mine.filter((a) => a.checksum === migration.checksum);
  const stale = mine.filter((a) => a.checksum !== migration.checksum);
  // One vote per person, and with a shadow requirement at least one vote must carry a passed shadow test.
  const byUser = new Map<string, ApprovalRecord>();
  for (const a of current) if (!byUser.has(a.approvedBy) || a.shadowVerified) byUser.set(a.approvedBy, a);
  const counted = [...byUser.values()];
  const shadowOk = !requirement.shadow || counted.some((a) => a.shadowVerified);
  const base = { assessment, counted, stale };

  if (requirement.blocked.length) {
    const cls = requirement.blocked.join(', ');
    return {
      ...base,
      allowed: false,
      message:
        `${migration.name}: ${cls} is blocked in ${env} — no approval can run it there` +
        (requirement.blocked.includes('drop-column') ? '; deprecate the column instead (stop reading and writing it) and drop it where the guardrail allows' : '') +
        `; the guardrail is environments.${env}.guardrails in the config.`,
    };
  }
  if (counted.length >= requirement.approvals && shadowOk) return { ...base, allowed: true, message: '' };

  // `because` lists only the non-auto classes, strictest first.
  const what = requirement.because.map((b) => `${b.mode === 'shadow+approval' ? 'a shadow test and approval' : b.mode} for ${b.class}`).join(' and ');
  const have = counted.length ? ` (${names(counted)})` : '';
  const distinct = requirement.approvals > 1 ? ' from distinct approvers' : '';
  let missing = `${counted.length} of ${requirement.approvals} approvals${distinct}${have} for checksum ${short(migration.checksum)}`;
  if (counted.length >= requirement.approvals && !shadowOk) missing += ', none of them shadow-tested';
  const voided = stale.length ? `; ${stale.length} earlier approval${stale.length > 1 ? 's' : ''} (${names(stale)}) no longer count${stale.length > 1 ? '' : 's'}: the file changed after ${stale.length > 1 ? 'them' : 'it'}` : '';
  return {
    ...base,
    allowed: false,
    message: `${migration.name} needs ${what} in ${env}: ${missing}${voided}; run aibos approve ${versionOf(migration)} --env ${env} --reason "…" as a member of ${approverRole}.`,
  };
}

export interface GateRequest {
  config: ResolvedConfig;
  env: string;
  /** The migrations about to be applied, in order. */
  pending: readonly MigrationFile[];
}

export interface GateResult {
  env: string;
  approverRole: string;
  verdicts: Verdict[];
  refused: Verdict[];
}

/** Reads the approvals and judges every pending migration. Never throws for a refusal. */
export async function evaluateGate(session: DbSession, request: GateRequest): Promise<GateResult> {
  const guardrails = guardrailsFor(request.config, request.env);
  const approverRole = approverRoleFor(request.config, request.env);
  const assessments = request.pending.map((m) => assessMigration(m, guardrails));
  const needAny = assessments.some((a) => a.requirement.approvals > 0);
  const approvals = needAny ? await readApprovals(session, request.config, request.env, assessments.filter((a) => a.requirement.approvals > 0).map((a) => versionOf(a.migration))) : [];
  const verdicts = assessments.map((a) => judge(a, approvals, request.env, approverRole));
  return { env: request.env, approverRole, verdicts, refused: verdicts.filter((v) => !v.allowed) };
}

/**
 * The gate: the runner calls this once, under the lock, after its other
 * pre-flight checks. Nothing is applied when any pending migration lacks what
 * its classes need; the error names each one.
 */
export async function enforceGuardrails(session: DbSession, request: GateRequest): Promise<GateResult> {
  const result = await evaluateGate(session, request);
  if (result.refused.length) {
    const lines = result.refused.map((v) => `  ${v.message}`);
    throw new MigrationError(`guardrails of ${request.env} refused ${result.refused.length} migration${result.refused.length > 1 ? 's' : ''}; nothing was applied:\n${lines.join('\n')}`);
  }
  return result;
}
