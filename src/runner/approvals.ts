/**
 * Approvals the database enforces. `aibos.migration_approvals` holds one row
 * per (migration version, checksum, environment, approver). The CLI checks
 * first for a clear message, but the guarantees live in the database:
 *  - nobody but the approver roles has INSERT (ALL revoked from PUBLIC);
 *  - a BEFORE INSERT trigger stamps `approved_by := session_user` and
 *    `approved_at := now()`, so no one approves in another's name or date,
 *    and refuses (42501) a session user who is not a MEMBER of the row's role;
 *  - UPDATE, DELETE and TRUNCATE are refused: approvals are append-only;
 *  - an AFTER INSERT trigger writes the approval into the audit trail, so an
 *    approval made with plain SQL still shows in `migrate history`.
 * The gate only counts rows whose role is the one the config names for that
 * environment, so a row tagged with another role never counts.
 *
 * Approver roles are never created here: roles are cluster-wide security
 * objects an administrator owns (`CREATE ROLE aibos_admin NOLOGIN; GRANT
 * aibos_admin TO alice;`). INSERT is granted to each configured role that
 * exists, every time the history tables are ensured (idempotent).
 */
import type { ResolvedConfig } from '../config/types.js';
import type { DbSession } from '../db/types.js';
import { extensionsCreatedIn, type MigrationFile } from '../migrations/files.js';
import { applyFile, type FileFailure } from '../verify/apply.js';
import { memoryShadow } from '../verify/shadow.js';
import { approverRoleFor } from './guardrails.js';
import { historyNames, quoteIdent } from './history.js';
import { quoteLiteral } from '../sql/ident.js';

export interface ApprovalRecord {
  id: number;
  version: string;
  name: string;
  checksum: string;
  environment: string;
  approverRole: string;
  approvedBy: string;
  osUser: string | null;
  /** The migration file's header author (who wrote it), for the audit trail. */
  author: string | null;
  reason: string;
  classes: string[];
  shadowVerified: boolean;
  approvedAt: Date;
}

/** `"aibos"."migration_approvals"` — names come from the config, which the schema restricts to [a-z_][a-z0-9_]*. */
function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function approvalsTable(config: Pick<ResolvedConfig, 'history'>): string {
  return qualified(config.history.schema, config.history.approvalsTable);
}

/** Every approver role the config names (each environment's, plus the default environment's). */
export function configuredApproverRoles(config: Pick<ResolvedConfig, 'environments' | 'defaultEnv'>): string[] {
  const envs = new Set([config.defaultEnv, ...Object.keys(config.environments)]);
  return [...new Set([...envs].map((e) => approverRoleFor(config, e)))];
}

/** Prefix for the trigger functions: one set per approvals/events table pair. */
function fn(config: Pick<ResolvedConfig, 'history'>, what: string): string {
  return qualified(config.history.schema, `${config.history.approvalsTable}_${what}`);
}

function approvalsDdl(config: Pick<ResolvedConfig, 'history'>): string {
  const table = approvalsTable(config);
  const name = config.history.approvalsTable;
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version       bigint      NOT NULL,
  name          text        NOT NULL,
  checksum      text        NOT NULL,
  environment   text        NOT NULL,
  approver_role text        NOT NULL,
  approved_by   text        NOT NULL DEFAULT session_user,
  os_user       text,
  author        text,
  reason        text        NOT NULL CHECK (length(btrim(reason)) > 0),
  classes       text[]      NOT NULL DEFAULT '{}',
  shadow_verified boolean   NOT NULL DEFAULT false,
  approved_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ${quoteIdent(`${name}_one_vote`)} UNIQUE (version, checksum, environment, approved_by)
);
REVOKE ALL ON ${table} FROM PUBLIC;

CREATE OR REPLACE FUNCTION ${fn(config, 'stamp')}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  -- Who and when come from the session, never from the row: nobody approves in another's name.
  NEW.approved_by := session_user;
  NEW.approved_at := now();
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = NEW.approver_role) THEN
    RAISE EXCEPTION 'approver role "%" does not exist', NEW.approver_role
      USING ERRCODE = '42704', HINT = format('CREATE ROLE %I NOLOGIN; GRANT %I TO <approver>;', NEW.approver_role, NEW.approver_role);
  END IF;
  IF NOT pg_has_role(session_user, NEW.approver_role, 'MEMBER') THEN
    RAISE EXCEPTION 'user "%" is not a member of the approver role "%"', session_user, NEW.approver_role
      USING ERRCODE = '42501', HINT = format('GRANT %I TO %I;', NEW.approver_role, session_user);
  END IF;
  RETURN NEW;
END $fn$;

CREATE OR REPLACE FUNCTION ${fn(config, 'append_only')}() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = '42501', HINT = 'record a new row instead; history is never rewritten';
END $fn$;

DROP TRIGGER IF EXISTS stamp_approver ON ${table};
CREATE TRIGGER stamp_approver BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn(config, 'stamp')}();
DROP TRIGGER IF EXISTS append_only ON ${table};
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn(config, 'append_only')}();
DROP TRIGGER IF EXISTS append_only_truncate ON ${table};
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${fn(config, 'append_only')}();
`;
}

function eventsGuardDdl(config: Pick<ResolvedConfig, 'history'>): string {
  const { events } = historyNames(config);
  return `
REVOKE UPDATE, DELETE, TRUNCATE ON ${events} FROM PUBLIC;
DROP TRIGGER IF EXISTS append_only ON ${events};
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON ${events} FOR EACH ROW EXECUTE FUNCTION ${fn(config, 'append_only')}();
DROP TRIGGER IF EXISTS append_only_truncate ON ${events};
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON ${events} FOR EACH STATEMENT EXECUTE FUNCTION ${fn(config, 'append_only')}();
`;
}

async function exists(session: DbSession, table: string): Promise<boolean> {
  const [row] = await session.query<{ oid: string | null }>('SELECT to_regclass($1)::text AS oid', [table]);
  return Boolean(row?.oid);
}

export interface EnsureResult {
  /** Approver roles that do not exist on the server (nothing was granted to them). */
  missingRoles: string[];
}

/** What `ensureApprovals` decides on: what exists of its tables and triggers, and which approver roles lack grants. */
export interface ApprovalsProbe {
  state: { approvals: boolean; stamped: boolean; events: boolean; guarded: boolean } | undefined;
  roles: ApproverRoleRow[];
}

interface ApproverRoleRow {
  rolname: string;
  /** The connected role may grant on the approvals table (it owns it, or is a member of its owner). */
  mine: boolean;
  /** The history and audit tables exist. */
  history: boolean;
  events: boolean;
  /** The role lacks one of the privileges `aibos approve` needs. */
  needs: boolean;
}

/**
 * Sends the two reads `ensureApprovals` decides on, without waiting for them: a caller may put them in the
 * same flight as other queries on the session (the server answers in order). Read before the tables exist,
 * they describe no tables: `ensureApprovals` asks again after creating them.
 */
export function probeApprovals(session: DbSession, config: Pick<ResolvedConfig, 'history' | 'environments' | 'defaultEnv'>): Promise<ApprovalsProbe> {
  // Values inline, not as $n parameters: the reads then go out with the queries before them (see quoteLiteral).
  const table = quoteLiteral(approvalsTable(config));
  const names = historyNames(config);
  const [history, events] = [quoteLiteral(names.history), quoteLiteral(names.events)];
  const state = session.query<NonNullable<ApprovalsProbe['state']>>(
    `SELECT to_regclass(${table}) IS NOT NULL AS approvals,
            EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(${table}) AND tgname = 'stamp_approver') AS stamped,
            to_regclass(${events}) IS NOT NULL AS events,
            EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(${events}) AND tgname = 'append_only') AS guarded`,
  );
  // Each configured approver role, and whether it lacks what `aibos approve` needs; only the tables' owner can grant.
  const roles = session.query<ApproverRoleRow>(
    `SELECT r.rolname::text AS rolname,
            COALESCE((SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = t.approvals), false) AS mine,
            t.history IS NOT NULL AS history,
            t.events IS NOT NULL AS events,
            NOT (has_schema_privilege(r.oid, ${quoteLiteral(names.schema)}, 'USAGE')
                 AND has_table_privilege(r.oid, t.approvals, 'SELECT') AND has_table_privilege(r.oid, t.approvals, 'INSERT')
                 AND (t.history IS NULL OR has_table_privilege(r.oid, t.history, 'SELECT'))
                 AND (t.events IS NULL OR has_table_privilege(r.oid, t.events, 'SELECT'))) AS needs
       FROM pg_roles r, (SELECT to_regclass(${table}) AS approvals, to_regclass(${history}) AS history, to_regclass(${events}) AS events) t
      WHERE r.rolname IN (SELECT jsonb_array_elements_text(${quoteLiteral(JSON.stringify(configuredApproverRoles(config)))}::jsonb))`,
  );
  return Promise.all([state, roles]).then(([[first], rows]) => ({ state: first, roles: rows }));
}

/**
 * Creates the approvals table and its triggers, and makes the events table append-only, where missing;
 * grants each configured approver role what `aibos approve` needs where it lacks it. Called by the
 * runner's history setup, under the advisory lock, after the events table exists. Idempotent: existing
 * objects are left alone (so a later run by a non-owner does not fail), and a run where all is in place
 * changes nothing (a GRANT is a catalog write and a commit): two reads, in one round trip, or none of its
 * own when the caller sent `probe` ahead (see probeApprovals).
 */
export async function ensureApprovals(
  session: DbSession,
  config: Pick<ResolvedConfig, 'history' | 'environments' | 'defaultEnv'>,
  probe: Promise<ApprovalsProbe> = probeApprovals(session, config),
): Promise<EnsureResult> {
  const { state, roles } = await probe;
  const created = !state?.approvals || !state.stamped;
  if (created) await session.exec(approvalsDdl(config) + auditDdl(config));
  if (state?.events && !state.guarded) await session.exec(eventsGuardDdl(config));
  // Read before the approvals table existed, the roles' privileges were about no table: ask again.
  return grantApprovers(session, config, created ? (await probeApprovals(session, config)).roles : roles);
}

/** Grants each approver role in `rows` that lacks them the privileges `aibos approve` needs. */
async function grantApprovers(session: DbSession, config: Pick<ResolvedConfig, 'history' | 'environments' | 'defaultEnv'>, rows: ApproverRoleRow[]): Promise<EnsureResult> {
  const table = approvalsTable(config);
  const { history, events, quotedSchema } = historyNames(config);
  const present = new Set(rows.map((r) => r.rolname));
  const missingRoles = configuredApproverRoles(config).filter((r) => !present.has(r));
  const statements: string[] = [];
  for (const row of rows) {
    if (!row.mine || !row.needs) continue;
    const r = quoteIdent(row.rolname);
    statements.push(`GRANT USAGE ON SCHEMA ${quotedSchema} TO ${r}`, `GRANT SELECT, INSERT ON ${table} TO ${r}`);
    if (row.history) statements.push(`GRANT SELECT ON ${history} TO ${r}`);
    if (row.events) statements.push(`GRANT SELECT ON ${events} TO ${r}`);
  }
  if (statements.length) await session.exec(statements.join(';\n'));
  return { missingRoles };
}

/**
 * Every approval also lands in the audit trail, written by the database itself
 * (SECURITY DEFINER: approvers need no INSERT on the events table, and an
 * approval made with plain SQL is logged all the same).
 */
function auditDdl(config: Pick<ResolvedConfig, 'history'>): string {
  const table = approvalsTable(config);
  const { events } = historyNames(config);
  return `
CREATE OR REPLACE FUNCTION ${fn(config, 'audit')}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  INSERT INTO ${events} (event, version, name, checksum, env, actor, author, reason, detail)
  VALUES ('approve', NEW.version, NEW.name, NEW.checksum, NEW.environment,
          NEW.approved_by || ' (os: ' || coalesce(NEW.os_user, 'unknown') || ')', NEW.author, NEW.reason,
          jsonb_build_object('approvalId', NEW.id, 'approvedBy', NEW.approved_by, 'approverRole', NEW.approver_role,
                             'classes', to_jsonb(NEW.classes), 'shadowVerified', NEW.shadow_verified));
  RETURN NULL;
END $fn$;
REVOKE ALL ON FUNCTION ${fn(config, 'audit')}() FROM PUBLIC;
DROP TRIGGER IF EXISTS audit_approval ON ${table};
CREATE TRIGGER audit_approval AFTER INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn(config, 'audit')}();
`;
}

interface ApprovalRow {
  id: string | number;
  version: string;
  name: string;
  checksum: string;
  environment: string;
  approver_role: string;
  approved_by: string;
  os_user: string | null;
  author: string | null;
  reason: string;
  classes: string[] | string;
  shadow_verified: boolean;
  approved_at: Date | string;
}

function toRecord(row: ApprovalRow): ApprovalRecord {
  return {
    id: Number(row.id),
    version: String(row.version),
    name: row.name,
    checksum: row.checksum,
    environment: row.environment,
    approverRole: row.approver_role,
    approvedBy: row.approved_by,
    osUser: row.os_user,
    author: row.author,
    reason: row.reason,
    classes: Array.isArray(row.classes) ? row.classes : String(row.classes ?? '').split(',').filter(Boolean),
    shadowVerified: row.shadow_verified,
    approvedAt: row.approved_at instanceof Date ? row.approved_at : new Date(row.approved_at),
  };
}

/** Approvals recorded for the given versions in `env` (none when the table does not exist yet). */
export async function readApprovals(session: DbSession, config: Pick<ResolvedConfig, 'history'>, env: string, versions: string[]): Promise<ApprovalRecord[]> {
  const table = approvalsTable(config);
  if (!versions.length || !(await exists(session, table))) return [];
  const rows = await session.query<ApprovalRow>(
    `SELECT id, version::text AS version, name, checksum, environment, approver_role, approved_by, os_user, author, reason, array_to_string(classes, ',') AS classes, shadow_verified, approved_at
       FROM ${table} WHERE environment = $1 AND version IN (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint) ORDER BY id`,
    [env, JSON.stringify(versions)],
  );
  return rows.map(toRecord);
}

export interface NewApproval {
  version: string;
  name: string;
  checksum: string;
  environment: string;
  approverRole: string;
  osUser?: string;
  author?: string;
  reason: string;
  classes: readonly string[];
  shadowVerified: boolean;
}

/** Inserts one approval; the database stamps who and when (and refuses non-members). */
export async function insertApproval(session: DbSession, config: Pick<ResolvedConfig, 'history'>, approval: NewApproval): Promise<ApprovalRecord> {
  const [row] = await session.query<ApprovalRow>(
    `INSERT INTO ${approvalsTable(config)} (version, name, checksum, environment, approver_role, os_user, author, reason, classes, shadow_verified)
     VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, ARRAY(SELECT jsonb_array_elements_text($9::text::jsonb)), $10)
     RETURNING id, version::text AS version, name, checksum, environment, approver_role, approved_by, os_user, author, reason, array_to_string(classes, ',') AS classes, shadow_verified, approved_at`,
    [approval.version, approval.name, approval.checksum, approval.environment, approval.approverRole, approval.osUser ?? null, approval.author ?? null, approval.reason, JSON.stringify(approval.classes), approval.shadowVerified],
  );
  return toRecord(row!);
}

export interface ApproverCheck {
  user: string;
  roleExists: boolean;
  member: boolean;
  canInsert: boolean;
  tableExists: boolean;
}

/** What the database will say about this session approving for `role`: checked first so the CLI can explain. */
export async function checkApprover(session: DbSession, config: Pick<ResolvedConfig, 'history'>, role: string): Promise<ApproverCheck> {
  // Catalog lookups by name and oid only: a non-member may lack USAGE on the schema, and must still get a clear answer.
  const [row] = await session.query<{ user: string; role_exists: boolean; member: boolean | null; table_exists: boolean; can_insert: boolean | null }>(
    `WITH t AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $2 AND c.relname = $3),
          r AS (SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS present)
     SELECT session_user::text AS user,
            r.present AS role_exists,
            CASE WHEN r.present THEN pg_has_role(session_user, $1, 'MEMBER') END AS member,
            EXISTS (SELECT 1 FROM t) AS table_exists,
            (SELECT has_table_privilege(session_user, t.oid, 'INSERT') FROM t) AS can_insert
       FROM r`,
    [role, config.history.schema, config.history.approvalsTable],
  );
  return { user: row!.user, roleExists: row!.role_exists, member: Boolean(row!.member), canInsert: Boolean(row!.can_insert), tableExists: row!.table_exists };
}

/** What the shadow test found: which migration failed and why. */
export interface ShadowOutcome {
  ok: boolean;
  failedFile?: string;
  error?: string;
}

/**
 * Runs `target` on a fresh in-memory PGlite with every earlier up migration
 * applied first (the standard's "shadow test → approval"), each file as verify
 * applies it (verify/apply.ts: in a transaction unless runner/mode.ts says it
 * cannot run in one). A failure in an earlier file is reported as such: the
 * shadow could not be built.
 */
export async function shadowTest(earlier: readonly MigrationFile[], target: MigrationFile): Promise<ShadowOutcome> {
  const source = memoryShadow(extensionsCreatedIn([...earlier, target]));
  const shadow = await source.open();
  try {
    for (const file of [...earlier, target]) {
      let failure: Pick<FileFailure, 'message' | 'code'> | undefined;
      try {
        failure = await applyFile(shadow.session, file);
      } catch (error) {
        // The shadow itself broke (not a SQL error): still no approval, and the file it broke on is named.
        failure = { message: (error as { message?: string } | undefined)?.message ?? String(error) };
      }
      if (failure) return { ok: false, failedFile: file.name, error: `${failure.message}${failure.code ? ` (SQLSTATE ${failure.code})` : ''}` };
    }
    return { ok: true };
  } finally {
    try {
      await shadow.close();
    } finally {
      await source.dispose();
    }
  }
}
