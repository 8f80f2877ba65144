import { beforeAll, describe, expect, it } from 'vitest';
import { loadMigrationFiles, type MigrationFile } from '../../src/migrations/files.js';
import { initParser } from '../../src/sql/parse.js';
import type { AppliedMigration } from '../../src/runner/history.js';
import { executionMode } from '../../src/runner/mode.js';
import { buildPlan, planDown } from '../../src/runner/plan.js';

beforeAll(() => initParser());

/** Real parsed files from in-memory texts (the parser and pairing are the real ones). */
function files(texts: Record<string, string>): MigrationFile[] {
  const map = new Map(Object.entries(texts).map(([name, text]) => [`/p/migrations/${name}`, text]));
  return loadMigrationFiles([...map.keys()], ['app'], '/p', map).files;
}

function row(version: number, file: MigrationFile | undefined, patch: Partial<AppliedMigration> = {}): AppliedMigration {
  return {
    version,
    name: file?.name ?? `${String(version).padStart(3, '0')}_app_create_gone.sql`,
    checksum: file?.checksum ?? 'f'.repeat(64),
    downChecksum: null,
    appliedAt: new Date('2024-01-01T00:00:00Z'),
    appliedBy: 'postgres (os: test)',
    author: null,
    reason: null,
    durationMs: 1,
    executionMode: 'transaction',
    status: 'applied',
    detail: null,
    ...patch,
  };
}

describe('buildPlan', () => {
  const all = files({
    '001_app_create_a.sql': 'CREATE TABLE app.a (id int);',
    '002_app_create_b.sql': 'CREATE TABLE app.b (id int);',
    '003_app_create_c.sql': 'CREATE TABLE app.c (id int);',
    '003_down.sql': 'DROP TABLE app.c;',
  });
  const ups = all.filter((f) => f.role === 'up');
  const [a, b, c] = ups;

  it('pending = files without a history row, in version order; --to cuts', () => {
    const plan = buildPlan({ ups, applied: [row(1, a)], migrationsDir: 'migrations', to: 2 });
    expect(plan.problems).toEqual([]);
    expect(plan.pending.map((f) => f.name)).toEqual(['002_app_create_b.sql', '003_app_create_c.sql']);
    expect(plan.toApply.map((f) => f.name)).toEqual(['002_app_create_b.sql']);
  });

  it('names every problem kind with the file', () => {
    const dup = files({ '002_app_create_b.sql': 'SELECT 1;', '002_app_create_bb.sql': 'SELECT 2;', '004_app_create_d.sql': 'SELECT 4;' });
    const plan = buildPlan({
      ups: [a!, ...dup],
      applied: [row(1, a, { checksum: '0'.repeat(64) }), row(3, undefined, { status: 'running', executionMode: 'no-transaction' }), row(5, undefined, { name: '005_app_create_e.sql', checksum: '1'.repeat(64) })],
      migrationsDir: 'migrations',
    });
    const kinds = plan.problems.map((p) => `${p.kind} ${p.version} ${p.file}`).sort();
    expect(kinds).toEqual([
      'checksum-mismatch 1 migrations/001_app_create_a.sql',
      'duplicate-version 2 migrations/002_app_create_b.sql',
      'duplicate-version 2 migrations/002_app_create_bb.sql',
      'failed 3 migrations/003_app_create_gone.sql',
      'missing-file 3 migrations/003_app_create_gone.sql',
      'missing-file 5 migrations/005_app_create_e.sql',
      'out-of-order 4 migrations/004_app_create_d.sql',
    ]);
    const mismatch = plan.problems.find((p) => p.kind === 'checksum-mismatch')!;
    expect(mismatch.message).toContain('0'.repeat(64));
    expect(mismatch.message).toContain(a!.checksum);
  });

  it('--allow-out-of-order turns an older pending file into a plain pending one', () => {
    const plan = buildPlan({ ups, applied: [row(1, a), row(3, c)], migrationsDir: 'migrations', allowOutOfOrder: true });
    expect(plan.problems).toEqual([]);
    expect(plan.toApply.map((f) => f.name)).toEqual(['002_app_create_b.sql']);
  });

  it('out-of-order: names the next free number of the file\'s schema range, or says there is none', () => {
    const withD = [...ups, ...files({ '004_app_create_d.sql': 'SELECT 4;' })];
    const hint = (high: number) =>
      buildPlan({ ups: withD, applied: [row(1, a), row(3, c)], migrationsDir: 'migrations', ranges: { app: { range: [1, high] } } }).problems.map((p) => p.message.split(' — ')[1]);
    expect(hint(9)).toEqual(["it was probably merged from an older branch: renumber it and its down file to 5, the next free number in app's range 1-9 (and run aibos sum), or apply it anyway with --allow-out-of-order."]);
    expect(hint(4)).toEqual(["app's range 1-4 has no number above 3, so renumbering cannot fix it: review that it does not depend on what was applied after it, then apply it with --allow-out-of-order."]);
  });

  it('down: highest version first, with the paired down file', () => {
    const plan = buildPlan({ ups, applied: [row(1, a), row(2, b), row(3, c)], migrationsDir: 'migrations' });
    const steps = planDown(plan.applied, { steps: 2 });
    expect(steps.map((s) => [s.row.version, s.down?.name])).toEqual([
      [3, '003_down.sql'],
      [2, undefined],
    ]);
    expect(planDown(plan.applied, { to: 1 }).map((s) => s.row.version)).toEqual([3, 2]);
  });
});

describe('executionMode', () => {
  it('infers no-transaction from the AST or the directive', () => {
    const modes = files({
      '001_app_index_a.sql': 'CREATE INDEX CONCURRENTLY i ON app.a (id);',
      '002_app_drop_i.sql': 'DROP INDEX CONCURRENTLY app.i;',
      '003_app_reindex_i.sql': 'REINDEX INDEX CONCURRENTLY app.i;',
      '004_app_vacuum_a.sql': 'VACUUM app.a;',
      '005_app_alter_system.sql': "ALTER SYSTEM SET work_mem = '64MB';",
      '006_app_create_db.sql': 'CREATE DATABASE other;',
      '007_app_index_b.sql': 'CREATE INDEX i2 ON app.b (id);',
      '008_app_analyze_b.sql': 'ANALYZE app.b;',
      '009_app_add_value.sql': "-- aibos:no-transaction\nALTER TYPE app.e ADD VALUE 'x';",
      '010_app_detach_p.sql': 'ALTER TABLE app.events DETACH PARTITION app.events_2025 CONCURRENTLY;',
      '011_app_detach_q.sql': 'ALTER TABLE app.events DETACH PARTITION app.events_2024;',
    });
    expect(modes.map((f) => [f.seq, executionMode(f).mode, executionMode(f).reason])).toEqual([
      [1, 'no-transaction', 'CREATE INDEX CONCURRENTLY'],
      [2, 'no-transaction', 'DROP INDEX CONCURRENTLY'],
      [3, 'no-transaction', 'REINDEX CONCURRENTLY'],
      [4, 'no-transaction', 'VACUUM'],
      [5, 'no-transaction', 'ALTER SYSTEM'],
      [6, 'no-transaction', 'CREATE DATABASE'],
      [7, 'transaction', undefined],
      [8, 'transaction', undefined],
      [9, 'no-transaction', '-- aibos:no-transaction'],
      [10, 'no-transaction', 'DETACH PARTITION CONCURRENTLY'],
      [11, 'transaction', undefined],
    ]);
  });
});
