/**
 * The shadow round-trip (DESIGN §6): every up in order on a fresh database,
 * a catalog snapshot before each; then every down from the newest, each
 * compared with the snapshot taken before its up; then every up again.
 *
 * A down that is missing, fails or differs leaves the database in a state
 * the older downs were not written for. Rather than blame them for it, the
 * shadow is rebuilt (fresh database, the older ups again) before going on:
 * each migration is judged on its own.
 */
import { AibosError } from '../errors.js';
import type { MigrationSet } from '../migrations/files.js';
import { applyFile, type FileFailure } from './apply.js';
import { diffSnapshots, type Difference } from './diff.js';
import type { Shadow, ShadowSource } from './shadow.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';

export type MigrationStatus = 'ok' | 'differs' | 'down-failed' | 'up-failed' | 'no-down' | 'skipped';

export interface VerifyFailure extends FileFailure {
  /** `up`: the first pass; `down`; `reapply`: the up again after the downs ran. */
  phase: 'up' | 'down' | 'reapply';
}

export interface MigrationOutcome {
  version: number | string;
  /** The up file (relative path). */
  name: string;
  /** The down file (relative path), or null when there is none. */
  down: string | null;
  status: MigrationStatus;
  differences: Difference[];
  error?: VerifyFailure;
}

export interface VerifyResult {
  ok: boolean;
  shadow: string;
  migrations: MigrationOutcome[];
  durationMs: number;
}

export interface VerifyRequest {
  set: MigrationSet;
  source: ShadowSource;
  /** Schemas left out of snapshots (the history schema). */
  excludedSchemas: string[];
  /** One line per step, for a TTY. */
  progress?: (line: string) => void;
}

export async function verifyMigrations(request: VerifyRequest): Promise<VerifyResult> {
  const started = performance.now();
  const { set, source, excludedSchemas } = request;
  const progress = request.progress ?? (() => {});
  const ups = set.ups;
  const outcomes: MigrationOutcome[] = ups.map((up) => ({
    version: up.seq ?? up.name,
    name: up.relPath,
    down: up.pair?.relPath ?? null,
    status: 'ok',
    differences: [],
  }));
  const snapshot = (s: Shadow) => takeSnapshot(s.session, excludedSchemas);

  let shadow = await source.open();
  try {
    // 1. Every up, in order, a snapshot before each.
    const before: Snapshot[] = [];
    let applied = 0;
    for (const [i, up] of ups.entries()) {
      before[i] = await snapshot(shadow);
      const failure = await applyFile(shadow.session, up);
      if (failure) {
        outcomes[i]!.status = 'up-failed';
        outcomes[i]!.error = { ...failure, phase: 'up' };
        progress(`up failed   ${up.relPath}`);
        for (const later of outcomes.slice(i + 1)) later.status = 'skipped';
        break;
      }
      progress(`up          ${up.relPath}`);
      applied++;
    }

    // Puts the shadow back to the state right before ups[i] ran: a fresh database and the older ups.
    const rebuild = async (i: number) => {
      await shadow.close();
      shadow = await source.open();
      for (const up of ups.slice(0, i)) {
        const failure = await applyFile(shadow.session, up);
        if (failure)
          throw new AibosError(
            `${up.relPath} applied on the first pass but failed when the shadow was rebuilt (${failure.message}) — it does not behave the same on a fresh database (time, randomness or server state?).`,
          );
      }
    };

    // 2. Every down, newest first, compared with the catalog before its up.
    for (let i = applied - 1; i >= 0; i--) {
      const up = ups[i]!;
      const outcome = outcomes[i]!;
      const down = up.pair;
      if (!down) {
        outcome.status = 'no-down';
        progress(`no down     ${up.relPath}`);
        await rebuild(i);
        continue;
      }
      const failure = await applyFile(shadow.session, down);
      if (failure) {
        outcome.status = 'down-failed';
        outcome.error = { ...failure, phase: 'down' };
        progress(`down failed ${down.relPath}`);
        await rebuild(i);
        continue;
      }
      outcome.differences = diffSnapshots(before[i]!, await snapshot(shadow));
      if (outcome.differences.length) {
        outcome.status = 'differs';
        progress(`differs     ${down.relPath}`);
        await rebuild(i);
        continue;
      }
      progress(`round-trips ${down.relPath}`);
    }

    // 3. Every up again: the downs must leave a state the ups can run on.
    for (const [i, up] of ups.slice(0, applied).entries()) {
      const failure = await applyFile(shadow.session, up);
      if (failure) {
        const outcome = outcomes[i]!;
        if (outcome.status === 'ok') outcome.status = 'up-failed';
        outcome.error ??= { ...failure, phase: 'reapply' };
        progress(`reapply failed ${up.relPath}`);
        break;
      }
    }
  } finally {
    await shadow.close();
  }
  return {
    ok: outcomes.every((o) => o.status === 'ok'),
    shadow: source.description,
    migrations: outcomes,
    durationMs: Math.round(performance.now() - started),
  };
}

