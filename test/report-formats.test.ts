import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { LintResult } from '../src/lint/types.js';
import { formatJson } from '../src/report/json.js';
import { ALL_RULE_IDS } from './rules/harness.js';
import { runCli, sum, TENANTS_DOWN, TENANTS_UP, tempProject, type TempProject } from './helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/**
 * A project with one block, one unacknowledged warn, one acknowledged warn and one shadow finding, and
 * nothing else: every other rule is satisfied (down files, IF NOT EXISTS, tenant key with its index and
 * RLS policy, soft delete). The scratch file holds only a comment, so only its name is checked.
 */
function mixedProject(): TempProject {
  const p = tempProject({
    'migrations/001_kernel_create_tenants.sql': TENANTS_UP,
    'migrations/001_down.sql': TENANTS_DOWN,
    'migrations/101_finance_create_accounts.sql':
      '-- author: a\n-- reason: b\n-- aibos-ack require-timestamps: imported as-is from the ledger\n' +
      'CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES kernel.tenants (id), note text, deleted_at timestamptz);\n' +
      'CREATE TABLE IF NOT EXISTS finance."a<b>&c" (id int, deleted_at timestamptz);\n' +
      'CREATE INDEX IF NOT EXISTS accounts_tenant_id_idx ON finance.accounts (tenant_id);\n' +
      'ALTER TABLE finance.accounts ENABLE ROW LEVEL SECURITY;\n' +
      'ALTER TABLE finance.accounts FORCE ROW LEVEL SECURITY;\n' +
      'DROP POLICY IF EXISTS accounts_tenant_isolation ON finance.accounts;\n' +
      "CREATE POLICY accounts_tenant_isolation ON finance.accounts USING (tenant_id = current_setting('app.tenant_id', true)::uuid);\n",
    'migrations/101_down.sql': 'DROP TABLE IF EXISTS finance."a<b>&c";\nDROP TABLE IF EXISTS finance.accounts;\n',
    'scratch/odd,name:50%.sql': '-- scratch notes, nothing to run yet\n',
  });
  return p;
}
const MIXED_ARGS = ['migrations', 'scratch', '--rule', 'require-timestamps=warn', '--rule', 'migration-filename=shadow'];

describe('aibos lint --format github', () => {
  it('prints one workflow command per unacknowledged finding, escaped, then a summary line', async () => {
    project = mixedProject();
    await sum(project.dir);
    const r = await runCli(['lint', ...MIXED_ARGS, '--format', 'github'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(
      [
        '::notice file=scratch/odd%2Cname%3A50%25.sql,line=1,col=1,endLine=1,endColumn=1,title=migration-filename::odd,name:50%25.sql does not follow the migration file grammar%0Ahelp: name an up file {seq}_{schema}_{action}_{entity}.sql with a 3+ digit sequence and lower snake_case, e.g. 101_finance_create_accounts.sql',
        '::error file=migrations/101_finance_create_accounts.sql,line=5,col=28,endLine=5,endColumn=44,title=require-tenant-id::table finance.a<b>&c has no tenant_id column%0Ahelp: add `tenant_id uuid NOT NULL REFERENCES kernel.tenants(id)`, or list finance.a<b>&c in tenancy.globalTables if it is truly global',
        '::warning file=migrations/101_finance_create_accounts.sql,line=5,col=28,endLine=5,endColumn=44,title=require-timestamps::table finance.a<b>&c has no created_at or updated_at column%0Ahelp: add `created_at timestamptz NOT NULL DEFAULT now()` and `updated_at timestamptz NOT NULL DEFAULT now()`',
        'aibos lint: failed — 5 files (1 block, 1 warn, 1 shadow, 1 acknowledged)',
      ].join('\n'),
    );
  });

  it('drops notices with --quiet and passes when nothing fails', async () => {
    project = tempProject({ 'migrations/001_kernel_create_tenants.sql': TENANTS_UP, 'migrations/001_down.sql': TENANTS_DOWN, 'scratch/notes.sql': '-- notes\n' });
    await sum(project.dir);
    const r = await runCli(['lint', 'migrations', 'scratch', '--rule', 'migration-filename=shadow', '--format', 'github', '--quiet'], { cwd: project.dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('aibos lint: passed — 3 files (0 block, 0 warn, 1 shadow, 0 acknowledged)');
  });
});

describe('aibos lint --format junit', () => {
  it('writes one testcase per file and one failure per failing finding, XML-escaped', async () => {
    project = mixedProject();
    await sum(project.dir);
    const r = await runCli(['lint', ...MIXED_ARGS, '--format', 'junit'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="aibos lint" tests="5" failures="1" errors="0">
  <testsuite name="aibos lint" tests="5" failures="1" errors="0" skipped="0">
    <testcase classname="scratch" name="scratch/odd,name:50%.sql" file="scratch/odd,name:50%.sql">
      <system-out>shadow[migration-filename] scratch/odd,name:50%.sql:1:1: odd,name:50%.sql does not follow the migration file grammar
help: name an up file {seq}_{schema}_{action}_{entity}.sql with a 3+ digit sequence and lower snake_case, e.g. 101_finance_create_accounts.sql</system-out>
    </testcase>
    <testcase classname="migrations" name="migrations/001_kernel_create_tenants.sql" file="migrations/001_kernel_create_tenants.sql"/>
    <testcase classname="migrations" name="migrations/001_down.sql" file="migrations/001_down.sql"/>
    <testcase classname="migrations" name="migrations/101_finance_create_accounts.sql" file="migrations/101_finance_create_accounts.sql">
      <failure type="require-tenant-id" message="require-tenant-id: table finance.a&lt;b&gt;&amp;c has no tenant_id column">block[require-tenant-id] migrations/101_finance_create_accounts.sql:5:28: table finance.a&lt;b&gt;&amp;c has no tenant_id column
help: add \`tenant_id uuid NOT NULL REFERENCES kernel.tenants(id)\`, or list finance.a&lt;b&gt;&amp;c in tenancy.globalTables if it is truly global</failure>
      <failure type="require-timestamps" message="require-timestamps: table finance.a&lt;b&gt;&amp;c has no created_at or updated_at column">warn[require-timestamps] migrations/101_finance_create_accounts.sql:5:28: table finance.a&lt;b&gt;&amp;c has no created_at or updated_at column
help: add \`created_at timestamptz NOT NULL DEFAULT now()\` and \`updated_at timestamptz NOT NULL DEFAULT now()\`</failure>
      <system-out>warn[require-timestamps] migrations/101_finance_create_accounts.sql:4:28: table finance.accounts has no created_at or updated_at column (acknowledged: imported as-is from the ledger)
help: add \`created_at timestamptz NOT NULL DEFAULT now()\` and \`updated_at timestamptz NOT NULL DEFAULT now()\`</system-out>
    </testcase>
    <testcase classname="migrations" name="migrations/101_down.sql" file="migrations/101_down.sql"/>
  </testsuite>
</testsuites>`);
  });

  it('adds a testcase for a finding on a file that is not SQL (aibos.sum)', async () => {
    project = tempProject({ 'migrations/001_kernel_create_tenants.sql': TENANTS_UP, 'migrations/001_down.sql': TENANTS_DOWN });
    const r = await runCli(['lint', '--format', 'junit'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('<testsuites name="aibos lint" tests="3" failures="1" errors="0">');
    expect(r.stdout).toContain(
      '<testcase classname="migrations" name="migrations/aibos.sum" file="migrations/aibos.sum">\n      <failure type="migration-checksum" message="migration-checksum: migrations/aibos.sum is missing">',
    );
  });
});

describe('aibos lint --format json', () => {
  it('prints one compact document with the DESIGN fields in order, escaped exactly as JSON.stringify escapes', async () => {
    project = mixedProject();
    await sum(project.dir);
    const r = await runCli(['lint', ...MIXED_ARGS, '--format', 'json'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(r.stdout).toBe(JSON.stringify(doc)); // runCli drops the final newline; the next test sees it
    expect(Object.keys(doc)).toEqual(['version', 'tool', 'summary', 'diagnostics']);
    expect(Object.keys(doc.diagnostics[0])).toEqual(['ruleId', 'level', 'message', 'help', 'file', 'line', 'column', 'endLine', 'endColumn', 'acknowledged']);
    // The table named "a<b>&c" reaches messages with its quotes.
    expect(doc.diagnostics.some((d: { message: string }) => d.message.includes('a<b>&c'))).toBe(true);
  });

  it('writes what JSON.stringify would for awkward text: quotes, backslashes, newlines, U+2028, emoji, no help', () => {
    const awkward = 'he said "no" \\ then\nleft\u2028 🚀 \u0007';
    const result: LintResult = {
      summary: { files: 1, block: 1, warn: 0, shadow: 0, acknowledged: 0, failed: true },
      diagnostics: [
        { ruleId: 'require-where', level: 'block', message: awkward, help: awkward, file: 'migrations/ü "x".sql', line: 1, column: 2, endLine: 3, endColumn: 4, acknowledged: false },
        { ruleId: 'require-where', level: 'shadow', message: 'm', file: 'a.sql', line: 1, column: 1, endLine: 1, endColumn: 1, acknowledged: true, ackReason: 'r' },
      ],
      sources: new Map(),
      rules: [],
    };
    const text = formatJson(result, { color: false, quiet: false, cwd: '/', toolVersion: '9.9.9' });
    const expected = {
      version: 1,
      tool: { name: 'aibos', version: '9.9.9' },
      summary: result.summary,
      diagnostics: result.diagnostics.map((d) => ({
        ruleId: d.ruleId, level: d.level, message: d.message, help: d.help ?? '', file: d.file,
        line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, acknowledged: d.acknowledged,
      })),
    };
    expect(text).toBe(`${JSON.stringify(expected)}\n`);
  });
});

describe('aibos lint --output', () => {
  it('writes the report to the file, nothing to stdout, and keeps the exit code', async () => {
    project = mixedProject();
    await sum(project.dir);
    const r = await runCli(['lint', ...MIXED_ARGS, '--format', 'json', '--output', 'lint.json'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(path.join(project.dir, 'lint.json'), 'utf8'));
    expect(report.summary).toEqual({ files: 5, block: 1, warn: 1, shadow: 1, acknowledged: 1, failed: true });
  });

  it('exits 2 naming the file when the folder does not exist', async () => {
    project = mixedProject();
    const r = await runCli(['lint', 'migrations', '--format', 'sarif', '--output', 'missing/dir/out.sarif'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--output missing/dir/out.sarif');
    expect(existsSync(path.join(project.dir, 'missing'))).toBe(false);
  });
});

// The official validator (a .NET binary). Its npm shim re-joins arguments through a shell, which splits
// "Gh;Sarif" at the semicolon, so the native binary is spawned directly.
const validatorPath = (): string => createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;

interface ValidatorResult {
  ruleId: string;
  level?: string;
  message: { id?: string; arguments?: string[] };
}

async function validateSarif(dir: string, file: string): Promise<ValidatorResult[]> {
  const log = path.join(dir, 'validation.sarif');
  const r = await execa(validatorPath(), ['validate', '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note', '--log', 'ForceOverwrite', '--output', log, file], {
    cwd: dir,
    reject: false,
    env: { DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  expect(r.exitCode, String(r.stdout) + String(r.stderr)).toBe(0);
  return (JSON.parse(readFileSync(log, 'utf8')).runs[0].results ?? []) as ValidatorResult[];
}

describe('aibos lint --format sarif', () => {
  it('passes the SARIF validator (GitHub + SARIF rules) with no errors or warnings', { timeout: 180_000 }, async () => {
    project = mixedProject();
    project.write('migrations/102_finance_create_broken.sql', '-- broken on purpose\nCREATE TABEL finance.x ();\n');
    await sum(project.dir);
    const r = await runCli(['lint', ...MIXED_ARGS, '--format', 'sarif', '--output', 'aibos.sarif'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    const results = await validateSarif(project.dir, 'aibos.sarif');
    const serious = results.filter((x) => x.level === 'error' || x.level === 'warning' || x.level === undefined);
    expect(serious.map((x) => `${x.ruleId} ${x.message.arguments?.join(' ')}`)).toEqual([]);
    // What is left are notes the design accepts (see the report): message text instead of ids, no
    // versionControlProvenance, rule ids without a numeric code, URLs unreachable offline, no snippet for aibos.sum.
    for (const x of results) expect(['SARIF2002', 'SARIF2003', 'SARIF2006', 'SARIF2009', 'SARIF2010', 'SARIF2011']).toContain(x.ruleId);
  });

  it('is checked by a validator that does catch a rule without fullDescription (control)', { timeout: 180_000 }, async () => {
    project = mixedProject();
    const r = await runCli(['lint', ...MIXED_ARGS, '--format', 'sarif'], { cwd: project.dir });
    const log = JSON.parse(r.stdout);
    delete log.runs[0].tool.driver.rules[0].fullDescription;
    project.write('broken.sarif', JSON.stringify(log));
    const results = await validateSarif(project.dir, 'broken.sarif');
    expect(results.filter((x) => x.level === 'error').map((x) => x.ruleId)).toEqual(['GH2012']);
  });

  it('describes every rule of the run and maps levels, locations, suppressions and fingerprints', async () => {
    project = mixedProject();
    project.write('migrations/102_finance_create_broken.sql', '-- broken on purpose\nCREATE TABEL finance.x ();\n');
    await sum(project.dir);
    const r = await runCli(['lint', ...MIXED_ARGS, '--rule', 'prefer-identity=off', '--format', 'sarif'], { cwd: project.dir });
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'aibos', version: '0.1.0', semanticVersion: '0.1.0', informationUri: expect.stringMatching(/^https:\/\//) });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.*\/$/);
    const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string; markdown: string }; helpUri: string; properties: { category: string; tags: string[] } }[];
    // Every built-in rule in registry order, except the one turned off.
    expect(rules.map((x) => x.id)).toEqual(ALL_RULE_IDS.filter((id) => id !== 'prefer-identity'));
    expect(rules.length).toBeGreaterThan(40);
    const tenant = rules.find((x) => x.id === 'require-tenant-id')!;
    expect(tenant.shortDescription.text).toBe('A permanent table without a NOT NULL uuid tenant_id column by the end of the file.');
    expect(tenant.fullDescription.text).toContain('A permanent table (CREATE TABLE, CREATE TABLE AS, SELECT ... INTO, partitioned)');
    expect(tenant.help.markdown).toContain('## How to fix');
    expect(tenant.help.markdown).not.toContain('<!--');
    expect(tenant.help.text).toContain('How to fix\nAdd tenant_id uuid NOT NULL');
    expect(tenant.helpUri).toBe('https://unpkg.com/aibos@0.1.0/rules/require-tenant-id.md');
    expect(tenant.properties).toEqual({ category: 'governance', tags: ['aibos', 'governance', 'maintainability'] });

    const results = run.results as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, unknown> } }[]; suppressions?: unknown[]; partialFingerprints: Record<string, string> }[];
    const brief = results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine, x.suppressions ? 'suppressed' : '']);
    expect(brief).toEqual([
      ['migration-filename', 'note', 'scratch/odd%2Cname%3A50%25.sql', 1, ''],
      ['require-timestamps', 'warning', 'migrations/101_finance_create_accounts.sql', 4, 'suppressed'],
      ['require-tenant-id', 'error', 'migrations/101_finance_create_accounts.sql', 5, ''],
      ['require-timestamps', 'warning', 'migrations/101_finance_create_accounts.sql', 5, ''],
      ['syntax-error', 'error', 'migrations/102_finance_create_broken.sql', 2, ''],
    ]);
    for (const x of results) {
      expect(x.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(rules[x.ruleIndex]!.id).toBe(x.ruleId);
    }
    expect(results[1]!.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'imported as-is from the ledger' }]);
    expect(results[2]!.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 5, startColumn: 28, endLine: 5, endColumn: 44, snippet: { text: 'finance."a<b>&c"' } });
    expect(results[4]!.locations[0]!.physicalLocation.region).toMatchObject({ startLine: 2, startColumn: 8 });
  });

  it('keeps fingerprints when lines are inserted above a finding', async () => {
    project = mixedProject();
    await sum(project.dir);
    const fingerprints = async () => {
      const r = await runCli(['lint', ...MIXED_ARGS, '--format', 'sarif'], { cwd: project!.dir });
      const results = JSON.parse(r.stdout).runs[0].results as { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[]; partialFingerprints: Record<string, string> }[];
      return results.map((x) => ({ rule: x.ruleId, line: x.locations[0]!.physicalLocation.region.startLine, fingerprint: x.partialFingerprints['aibosFinding/v1']! }));
    };
    const before = await fingerprints();
    const file = path.join(project.dir, 'migrations/101_finance_create_accounts.sql');
    const text = readFileSync(file, 'utf8');
    project.write('migrations/101_finance_create_accounts.sql', text.replace('-- aibos-ack', '-- ticket: FIN-12\n\n-- aibos-ack'));
    await sum(project.dir);
    const after = await fingerprints();
    expect(after.map((x) => x.line)).toEqual(before.map((x) => (x.rule === 'migration-filename' ? x.line : x.line + 2)));
    expect(after.map((x) => x.fingerprint)).toEqual(before.map((x) => x.fingerprint));
    expect(new Set(before.map((x) => x.fingerprint)).size).toBe(before.length);
  });
});
