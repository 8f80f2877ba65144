import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { lintProject } from '../src/lint/project.js';
import { initParser, parseSql } from '../src/sql/parse.js';
import { PARALLEL_MIN_BYTES } from '../src/sql/parallel.js';
import { execa } from 'execa';
import { BIN, lintJson, TENANTS_DOWN, TENANTS_UP, tempProject } from './helpers/project.js';

/**
 * A history big enough for the CLI to parse it on a worker thread ahead of the lint (the
 * compiled worker exists only in dist/, so in-process lints from the sources use one thread):
 * the same findings must come out either way. Odd files included: a syntax error, an empty file,
 * comments only, a BOM, multi-byte text, acks, and a down that reads its up.
 */
function bigHistory(tables = 320, padding = 24): Record<string, string> {
  const files: Record<string, string> = {
    'migrations/001_kernel_create_tenants.sql': TENANTS_UP,
    'migrations/001_down.sql': TENANTS_DOWN,
  };
  const filler = `-- ${'padding so the history passes the threshold for a second thread; '.repeat(padding)}\n`;
  for (let i = 0; i < tables; i++) {
    const seq = 100 + i;
    const table = `finance.t${i}`;
    let up = `${filler}-- author: a\n-- reason: b\n`;
    if (i % 7 === 0) up += `-- aibos-ack prefer-text-field: legacy widths\n`;
    up += `CREATE TABLE IF NOT EXISTS ${table} (id uuid PRIMARY KEY, ${i % 3 ? 'tenant_id uuid NOT NULL REFERENCES kernel.tenants (id),' : ''} name varchar(40), note text DEFAULT 'é 😀', created_at timestamp);\n`;
    if (i % 5 === 0) up += `CREATE INDEX ${`t${i}_name_idx`} ON ${table} (name);\n`;
    if (i % 11 === 0) up += `ALTER TABLE ${table} ALTER COLUMN note SET NOT NULL;\n`;
    files[`migrations/${seq}_finance_create_t${i}.sql`] = i === 17 ? `\uFEFF${up}` : up;
    files[`migrations/${seq}_down.sql`] = i % 11 === 0 ? `ALTER TABLE ${table} ALTER COLUMN note DROP NOT NULL;\nDROP TABLE IF EXISTS ${table};\n` : `DROP TABLE IF EXISTS ${table};\n`;
  }
  files['migrations/500_finance_create_broken.sql'] = `${filler}CREATE TABEL finance.broken (id int);\n`;
  files['migrations/501_finance_create_empty.sql'] = '';
  files['migrations/502_finance_create_comments.sql'] = '-- nothing here yet\n/* still nothing */\n';
  return files;
}

describe('parsing ahead on a worker thread', () => {
  // Many files: the worker starts during the walk and reads them itself. Fewer, bigger files: they are
  // read on the main thread first, and the worker is handed their texts.
  it.each([
    ['2,003 files, read by the worker', 1000, 0, 'reading and parsing'],
    ['125 big files, read on the main thread', 60, 560, 'parsing'],
  ])('gives the CLI exactly the findings a one-thread lint gives, and says the worker parsed them (%s)', async (_case, tables, padding, work) => {
    const files = bigHistory(tables, padding);
    // Either enough files for the worker to start during the walk, or enough text for it to start after.
    expect(Object.keys(files).length >= 2000 || Object.values(files).reduce((n, t) => n + t.length, 0) > PARALLEL_MIN_BYTES).toBe(true);
    const project = tempProject(files);
    try {
      const cli = await lintJson(project.dir, [], { AIBOS_TIMING: '1' });
      expect(cli.exitCode).toBe(1);
      const worker = /^(.*): (\d+) files on the worker thread, (\d+) on the main thread$/m.exec(cli.stderr);
      expect(worker, cli.stderr).not.toBeNull();
      expect(worker![1]).toBe(work);
      expect(Number(worker![2])).toBe(Object.keys(files).length);
      expect(Number(worker![3])).toBe(0);

      const config = await loadConfig({ cwd: project.dir });
      const alone = await lintProject({ config, cwd: project.dir });
      const { report } = cli;
      expect(report.summary).toEqual(alone.summary);
      expect(report.diagnostics).toEqual(alone.diagnostics.map(({ ackReason: _reason, ...d }) => ({ ...d, help: d.help ?? '' })));
      const ids = new Set(report.diagnostics.map((d) => d.ruleId));
      for (const id of ['syntax-error', 'require-tenant-id', 'prefer-timestamptz', 'prefer-text-field', 'require-rls', 'require-index-on-fk']) expect(ids).toContain(id);
      expect(report.summary.acknowledged).toBeGreaterThan(0);
    } finally {
      project.cleanup();
    }
  });
});

describe('a parser worker that falls silent part-way', () => {
  it('is given up after a while and the main thread parses the rest: the same findings come out', async () => {
    // Enough files for the worker to read and parse them all: the main thread has no parser of its own until it needs one.
    const files = bigHistory(1000, 0);
    const project = tempProject(files);
    try {
      const normal = await lintJson(project.dir);
      const broken = await lintJson(project.dir, [], { AIBOS_TIMING: '1', AIBOS_TEST_PARSE_WORKER_STOPS_AFTER: '40' });
      expect(broken.exitCode).toBe(1);
      const split = /parsing: (\d+) files on the worker thread, (\d+) on the main thread/.exec(broken.stderr);
      expect(split, broken.stderr).not.toBeNull();
      expect(Number(split![1])).toBe(40);
      expect(Number(split![2])).toBe(Object.keys(files).length - 40);
      expect(broken.report).toEqual(normal.report);
    } finally {
      project.cleanup();
    }
  });
});

describe('a large report on a pipe', () => {
  it('is written whole through a pipe, and a reader that leaves early (| head) ends it quietly with the lint exit code', async () => {
    const project = tempProject(bigHistory());
    try {
      const full = await execa('node', [BIN, 'lint', '--format', 'json'], { cwd: project.dir, reject: false, env: { NO_COLOR: '1' }, stripFinalNewline: false });
      expect(full.exitCode).toBe(1);
      expect(full.stdout.length).toBeGreaterThan(256 * 1024);
      expect(full.stdout.endsWith(']}\n')).toBe(true);
      expect(() => JSON.parse(full.stdout)).not.toThrow();

      const child = execa('node', [BIN, 'lint'], { cwd: project.dir, reject: false, env: { NO_COLOR: '1' } });
      child.stdout!.once('data', () => child.stdout!.destroy());
      const early = await child;
      expect(early.exitCode).toBe(1);
      expect(early.stderr).toBe('');
    } finally {
      project.cleanup();
    }
  });
});

describe('statement trees dropped after a lint', () => {
  it('are parsed again, identical, when something reads a node later', async () => {
    await initParser();
    const parsed = parseSql("CREATE TABLE a.t (id int DEFAULT 1); -- c\nALTER TABLE a.t ADD COLUMN n text NOT NULL DEFAULT 'é';");
    const before = parsed.statements.map((s) => JSON.stringify(s.node));
    parsed.releaseTrees();
    expect(parsed.statements.map((s) => JSON.stringify(s.node))).toEqual(before);
    expect(parsed.statements[1]!.node.cmds[0].AlterTableCmd.def.ColumnDef.colname).toBe('n');
  });
});
