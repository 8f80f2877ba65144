/**
 * The plan, pure: applied history rows against the migration files, by version
 * and checksum. Nothing here touches a database or the disk.
 */
import type { MigrationFile } from '../migrations/files.js';
import type { PlanRow } from './history.js';

export type ProblemKind = 'checksum-mismatch' | 'missing-file' | 'out-of-order' | 'duplicate-version' | 'failed';

export interface PlanProblem {
  kind: ProblemKind;
  version: number;
  /** The file concerned, relative to the working directory (for missing files: where it was expected). */
  file: string;
  message: string;
}

export interface AppliedEntry {
  row: PlanRow;
  /** The up file with that version, when present. */
  file?: MigrationFile;
}

export interface Plan {
  applied: AppliedEntry[];
  /** Every up file not applied yet, in version order. */
  pending: MigrationFile[];
  /** The pending files this run applies (`--to` cut), in version order. */
  toApply: MigrationFile[];
  problems: PlanProblem[];
}

export interface PlanInput {
  /** Up files, in migration order. */
  ups: MigrationFile[];
  applied: PlanRow[];
  /** The migrations folder relative to the working directory, to name missing files. */
  migrationsDir: string;
  allowOutOfOrder?: boolean;
  /** `--to SEQ`: apply up to and including this version. */
  to?: number;
  /** Each schema's numbers (config `schemas`): whether an out-of-order file can be renumbered and stay in its range. */
  ranges?: Readonly<Record<string, { range: readonly [number, number] }>>;
}

/** The version a file is recorded under: its sequence number. */
export function versionOf(file: MigrationFile): number {
  return file.seq ?? Number(file.order);
}

const short = (checksum: string) => checksum.slice(0, 12);

export function buildPlan(input: PlanInput): Plan {
  const problems: PlanProblem[] = [];
  const byVersion = new Map<number, MigrationFile[]>();
  for (const file of input.ups) {
    const version = versionOf(file);
    const list = byVersion.get(version) ?? [];
    list.push(file);
    byVersion.set(version, list);
  }
  for (const [version, files] of byVersion) {
    if (files.length < 2) continue;
    for (const file of files)
      problems.push({
        kind: 'duplicate-version',
        version,
        file: file.relPath,
        message: `${file.relPath} uses version ${version}, like ${files.filter((f) => f !== file).map((f) => f.relPath).join(', ')} — renumber one of them (aibos new picks the next free number).`,
      });
  }

  const appliedVersions = new Set<number>();
  const applied: AppliedEntry[] = [];
  for (const row of input.applied) {
    appliedVersions.add(row.version);
    const candidates = byVersion.get(row.version) ?? [];
    // With duplicates, the one whose checksum matches is the applied one.
    const file = candidates.find((f) => f.checksum === row.checksum) ?? candidates[0];
    applied.push({ row, file });
    if (!file) {
      problems.push({
        kind: 'missing-file',
        version: row.version,
        file: `${input.migrationsDir}/${row.name}`,
        message: `${row.name} (version ${row.version}) is applied but no migration file has that version (recorded checksum ${short(row.checksum)}…, no file) — restore the file from git; an applied migration is never deleted, add a new one that undoes it instead.`,
      });
    } else if (file.checksum !== row.checksum && candidates.length === 1) {
      problems.push({
        kind: 'checksum-mismatch',
        version: row.version,
        file: file.relPath,
        message: `${file.relPath} changed after it was applied: recorded checksum ${row.checksum}, file checksum ${file.checksum} — restore the applied text (git log -p ${file.relPath}); to change the schema, add a new migration.`,
      });
    }
    if (row.status !== 'applied') {
      const where = file?.relPath ?? `${input.migrationsDir}/${row.name}`;
      const what =
        row.status === 'running'
          ? 'stopped part-way (its run was interrupted)'
          : `failed part-way${row.detail ? ` (${row.detail})` : ''}`;
      problems.push({
        kind: 'failed',
        version: row.version,
        file: where,
        message: `${where} (${row.executionMode}) ${what} at ${row.appliedAt.toISOString()} — check what it left behind (e.g. an INVALID index), then run \`aibos migrate down --steps 1\` to run its down file and clear the record, and \`aibos migrate up\` again.`,
      });
    }
  }

  const newestApplied = input.applied.reduce((max, r) => Math.max(max, r.version), -Infinity);
  const pending: MigrationFile[] = [];
  for (const [version, files] of [...byVersion].sort((a, b) => a[0] - b[0])) {
    if (appliedVersions.has(version) || files.length > 1) continue;
    const file = files[0]!;
    pending.push(file);
    if (version < newestApplied && !input.allowOutOfOrder)
      problems.push({
        kind: 'out-of-order',
        version,
        file: file.relPath,
        message: `${file.relPath} (version ${version}) is not applied, but version ${newestApplied} already is — ${outOfOrderHint(file, newestApplied, byVersion, input.ranges)}`,
      });
  }
  const toApply = input.to === undefined ? pending : pending.filter((f) => versionOf(f) <= input.to!);
  return { applied, pending, toApply, problems };
}

/**
 * What to do about a pending file older than the newest applied one. Renumbering is the fix only
 * when the file's schema range has a free number above that version: numbers are per schema
 * (kernel 1-99, finance 100-199), so a kernel file can sit below an applied finance one for good.
 */
function outOfOrderHint(file: MigrationFile, newestApplied: number, used: Map<number, unknown>, ranges: PlanInput['ranges']): string {
  const range = file.schema === undefined ? undefined : ranges?.[file.schema]?.range;
  if (!range) return `it was probably merged from an older branch: renumber it above ${newestApplied} (and run aibos sum), or apply it anyway with --allow-out-of-order.`;
  const [low, high] = range;
  let free = newestApplied + 1;
  while (free <= high && used.has(free)) free++;
  if (free <= high)
    return `it was probably merged from an older branch: renumber it and its down file to ${free}, the next free number in ${file.schema}'s range ${low}-${high} (and run aibos sum), or apply it anyway with --allow-out-of-order.`;
  return `${file.schema}'s range ${low}-${high} has no number above ${newestApplied}, so renumbering cannot fix it: review that it does not depend on what was applied after it, then apply it with --allow-out-of-order.`;
}

export interface DownStep {
  row: PlanRow;
  up?: MigrationFile;
  down?: MigrationFile;
}

/** What `down --steps N | --to SEQ` reverts: highest version first. */
export function planDown(applied: AppliedEntry[], options: { steps?: number; to?: number }): DownStep[] {
  const ordered = [...applied].sort((a, b) => b.row.version - a.row.version);
  const chosen = options.to !== undefined ? ordered.filter((e) => e.row.version > options.to!) : ordered.slice(0, options.steps ?? 1);
  return chosen.map((e) => ({ row: e.row, up: e.file, down: e.file?.pair }));
}
