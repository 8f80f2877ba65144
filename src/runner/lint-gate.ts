/**
 * The lint gate: pending files must have no failing finding before anything is
 * applied. Lints the same MigrationSet the runner plans with (nothing re-read or
 * re-parsed), over the whole history so the catalog is right, and keeps the
 * findings on the pending files (and their down files) plus run-level ones such
 * as a stale aibos.sum.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { MigrationFile, MigrationSet } from '../migrations/files.js';
import type { Diagnostic, LintResult } from '../lint/types.js';

export interface LintGate {
  /** Findings that stop the run (unacknowledged warn and block), as a lint result for the formatters. */
  result: LintResult;
  failed: boolean;
}

export async function lintPending(set: MigrationSet, pending: MigrationFile[], config: ResolvedConfig, env: string, cwd = process.cwd()): Promise<LintGate> {
  // Loaded on demand: a no-op `migrate up` never pays for the rules.
  const [{ lintMigrations }, { loadRules }, { migrationDirInfo }] = await Promise.all([
    import('../lint/engine.js'),
    import('../lint/plugins.js'),
    import('../lint/project.js'),
  ]);
  const rules = await loadRules(config);
  // Every up file builds the catalog the pending ones are checked against; of the down files only the
  // pending ones matter (linting a down replays it on a copy of the catalog, the costly part).
  const pendingDowns = new Set(pending.map((f) => f.pair).filter((f): f is MigrationFile => Boolean(f)));
  const subset: MigrationSet = { files: set.files.filter((f) => f.role === 'up' || pendingDowns.has(f)), ups: set.ups, downs: set.downs.filter((f) => pendingDowns.has(f)) };
  // The folder-level checks (aibos.sum) still see every file.
  const full = lintMigrations(subset, { config, rules, env, migrationDir: migrationDirInfo(config, set, cwd) });
  const migrationPaths = new Set(set.files.map((f) => f.relPath));
  const concerned = new Set<string>();
  for (const file of pending) {
    concerned.add(file.relPath);
    if (file.pair) concerned.add(file.pair.relPath);
  }
  const failing = (d: Diagnostic) => !d.acknowledged && (d.level === 'block' || d.level === 'warn');
  const diagnostics = full.diagnostics.filter((d) => failing(d) && (concerned.has(d.file) || !migrationPaths.has(d.file)));
  const result: LintResult = {
    ...full,
    diagnostics,
    summary: {
      files: concerned.size,
      block: diagnostics.filter((d) => d.level === 'block').length,
      warn: diagnostics.filter((d) => d.level === 'warn').length,
      shadow: 0,
      acknowledged: 0,
      failed: diagnostics.length > 0,
    },
  };
  return { result, failed: diagnostics.length > 0 };
}
