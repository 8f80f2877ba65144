import { afterEach, describe, expect, it } from 'vitest';
import { lintJson, runCli, tempProject, TENANTS_DOWN, TENANTS_UP, type TempProject } from './helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const NO_TENANT = `-- author: a\n-- reason: r\nCREATE TABLE IF NOT EXISTS finance.notes (\n  id uuid PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);\n`;

function withConfig(config: unknown, extra: Record<string, string> = {}): TempProject {
  return tempProject({
    '.aibosrc.json': typeof config === 'string' ? config : JSON.stringify(config, null, 2),
    'migrations/101_finance_create_notes.sql': NO_TENANT,
    ...extra,
  });
}

describe('config errors exit 2 and name the file and key', () => {
  it('a JSON syntax error names the file, the line and the column', async () => {
    project = withConfig('{\n  "migrationsDir": "migrations",\n  "rules": { x }\n}\n');
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe(`aibos: Could not read .aibosrc.json: line 3, column 14: Expected property name or '}' — fix the syntax and run again.`);
    // The same for a file given with --config, and for a file that stops short.
    project.write('other.json', '{ "rules": ');
    const cut = await runCli(['--config', 'other.json', 'lint'], { cwd: project.dir });
    expect(cut.exitCode).toBe(2);
    expect(cut.stderr.trim()).toBe('aibos: Could not read other.json: line 1, column 12: Unexpected end of JSON input — fix the syntax and run again.');
  });

  it('a YAML or JavaScript config that does not parse names its line and column too', async () => {
    project = tempProject({ '.aibosrc.yaml': 'rules:\n  require-tenant-id: [\n', 'migrations/101_finance_create_notes.sql': NO_TENANT });
    const yaml = await runCli(['lint'], { cwd: project.dir });
    expect(yaml.exitCode).toBe(2);
    expect(yaml.stderr.trim()).toBe('aibos: Could not read .aibosrc.yaml: line 3, column 1: unexpected end of the stream within a flow collection — fix the syntax and run again.');
    project.cleanup();
    project = tempProject({ 'aibos.config.cjs': 'module.exports = {\n  rules: {,\n};\n', 'migrations/101_finance_create_notes.sql': NO_TENANT });
    const js = await runCli(['lint'], { cwd: project.dir });
    expect(js.exitCode).toBe(2);
    expect(js.stderr.trim()).toBe("aibos: Could not read aibos.config.cjs: line 2, column 11: Unexpected token ',' — fix the syntax and run again.");
  });

  it('a wrong type names the key path and what was expected', async () => {
    project = withConfig({ migrationsDir: 42 });
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('.aibosrc.json');
    expect(r.stderr).toContain('migrationsDir: expected string');
  });

  it('an unknown key is named', async () => {
    project = withConfig({ tenancy: { columm: 'tenant_id' } });
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('tenancy.columm is not a known key');
  });

  it('a bad level lists the allowed ones', async () => {
    project = withConfig({ rules: { 'require-tenant-id': 'error' } });
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('rules.require-tenant-id');
    expect(r.stderr).toContain('"off", "shadow", "warn", "block"');
  });

  it('an unknown rule id gets a closest-match hint', async () => {
    project = withConfig({ rules: { 'require-tenant-idd': 'warn' } });
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('rules.require-tenant-idd');
    expect(r.stderr).toContain('did you mean "require-tenant-id"?');
  });

  it('an unknown rule in an environment names its path', async () => {
    project = withConfig({ environments: { prod: { rules: { 'require-timestamp': 'off' } } } });
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('environments.prod.rules.require-timestamp');
    expect(r.stderr).toContain('did you mean "require-timestamps"?');
  });

  it('a missing --config file exits 2', async () => {
    project = tempProject({ 'migrations/101_finance_create_notes.sql': NO_TENANT });
    const r = await runCli(['--config', 'nope.json', 'lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('nope.json');
  });

  it('a bad --rule flag exits 2 with a hint', async () => {
    project = tempProject({ 'migrations/101_finance_create_notes.sql': NO_TENANT });
    const bad = await runCli(['lint', '--rule', 'require-tenant-id'], { cwd: project.dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('expected id=level');
    const unknown = await runCli(['lint', '--rule', 'require-tenantid=off'], { cwd: project.dir });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('did you mean "require-tenant-id"?');
  });

  it('an unknown flag exits 2', async () => {
    project = tempProject({});
    const r = await runCli(['lint', '--frmat', 'json'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown option '--frmat'");
  });

  it('a missing migrations folder exits 2 and says what to do', async () => {
    project = tempProject({});
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('aibos init');
  });
});

describe('rule options are checked when the config is resolved', () => {
  const lint = async (config: unknown, args: string[] = []) => {
    project?.cleanup();
    project = withConfig(config);
    return runCli(['lint', ...args], { cwd: project.dir });
  };

  it('a wrong type names the rule, the option and the type it takes, instead of crashing the rule', async () => {
    const r = await lint({ rules: { 'require-fk-on-id': ['warn', { ignoreColumns: 'a' }] } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: rules.require-fk-on-id: option "ignoreColumns" must be an array of strings — see `aibos rules require-fk-on-id`.');
    const item = await lint({ rules: { 'normal-form-1nf': ['shadow', { allowArrayColumns: ['tags', 3] }] } });
    expect(item.exitCode).toBe(2);
    expect(item.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: rules.normal-form-1nf: option "allowArrayColumns" must be an array of strings — see `aibos rules normal-form-1nf`.');
  });

  it('a misspelt option gets a closest-match hint; a rule without options says so', async () => {
    const typo = await lint({ rules: { 'require-fk-on-id': ['warn', { ignoreColumn: ['stripe_id'] }] } });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: rules.require-fk-on-id: unknown option "ignoreColumn" — did you mean "ignoreColumns"?');
    const none = await lint({ rules: { 'require-tenant-id': ['block', { column: 'org_id' }] } });
    expect(none.exitCode).toBe(2);
    expect(none.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: rules.require-tenant-id: unknown option "column" — the rule takes no options.');
  });

  it("an environment's rules are checked too, whichever environment runs and whatever --rule says", async () => {
    const r = await lint({ environments: { prod: { rules: { 'require-fk-on-id': ['block', { ignoreColumns: [1] }] } } } }, ['--rule', 'require-fk-on-id=off']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: environments.prod.rules.require-fk-on-id: option "ignoreColumns" must be an array of strings — see `aibos rules require-fk-on-id`.');
  });

  it('valid options still apply', async () => {
    project = withConfig({ rules: { 'require-fk-on-id': ['warn', { ignoreColumns: ['Stripe_ID'] }] } });
    project.write('migrations/101_finance_create_notes.sql', `${NO_TENANT.replace('  id uuid PRIMARY KEY,', '  id uuid PRIMARY KEY,\n  stripe_id text,\n  owner_id uuid,')}`);
    const { report } = await lintJson(project.dir, ['migrations/101_finance_create_notes.sql']);
    expect(report.diagnostics.filter((d) => d.ruleId === 'require-fk-on-id').map((d) => d.line)).toEqual([6]);
  });
});

describe('environments: defaultEnv and --env name one that exists', () => {
  it('a defaultEnv that resolves nowhere exits 2 naming the key and the environments there are', async () => {
    project = withConfig({ defaultEnv: 'prdo', environments: { staging: {} } });
    for (const args of [['lint'], ['migrate', 'status']]) {
      const r = await runCli(args, { cwd: project.dir });
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: defaultEnv: no environment "prdo" — did you mean "prod"? Known: dev, prod, staging, or define "prdo" under "environments".');
    }
    project.write('.aibosrc.json', JSON.stringify({ defaultEnv: 'qa-eu' }));
    const r = await runCli(['lint'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: defaultEnv: no environment "qa-eu". Known: dev, prod, or define "qa-eu" under "environments".');
  });

  it('dev and prod are built in (the standard\'s guardrails): a defaultEnv or --env naming them needs no entry', async () => {
    project = withConfig({ defaultEnv: 'prod' });
    const { report, exitCode } = await lintJson(project.dir, ['migrations/101_finance_create_notes.sql']);
    expect(exitCode).toBe(1);
    // require-down-file blocks in prod by default.
    expect(report.diagnostics.find((d) => d.ruleId === 'require-down-file')?.level).toBe('block');
    project.write('.aibosrc.json', '{}');
    expect((await lintJson(project.dir, ['--env', 'prod', 'migrations/101_finance_create_notes.sql'])).report.diagnostics.find((d) => d.ruleId === 'require-down-file')?.level).toBe('block');
  });

  it('an unknown --env exits 2 for lint as it does for migrate', async () => {
    project = withConfig({});
    const r = await runCli(['lint', '--env', 'staging'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toBe('aibos: --env staging: no environment "staging". Known: dev, prod, or define "staging" under "environments".');
  });
});

describe('levels: config, --env and --rule', () => {
  it('config lowers a rule, --env applies environment rules, --rule wins over both', async () => {
    project = withConfig({ rules: { 'require-tenant-id': ['warn', {}] }, environments: { prod: { rules: { 'require-tenant-id': 'off' } } } });
    const base = await lintJson(project.dir, ['migrations/101_finance_create_notes.sql']);
    expect(base.report.diagnostics.filter((d) => d.ruleId === 'require-tenant-id').map((d) => [d.level, d.line, d.column])).toEqual([['warn', 3, 28]]);
    const prod = await lintJson(project.dir, ['--env', 'prod', 'migrations/101_finance_create_notes.sql']);
    expect(prod.report.diagnostics.some((d) => d.ruleId === 'require-tenant-id')).toBe(false);
    const flagged = await lintJson(project.dir, ['--env', 'prod', '--rule', 'require-tenant-id=block', 'migrations/101_finance_create_notes.sql']);
    expect(flagged.report.diagnostics.filter((d) => d.ruleId === 'require-tenant-id').map((d) => d.level)).toEqual(['block']);
    expect(flagged.exitCode).toBe(1);
  });
});

describe('acknowledgements', () => {
  const body = (ack: string) =>
    `-- author: a\n-- reason: r\n${ack}\nCREATE TABLE IF NOT EXISTS config.notes (\n  id uuid PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);\nSELECT 1;\n`;

  it('an ack with a reason acknowledges a warn finding of the next statement', async () => {
    project = tempProject({ 'm/201_config_create_notes.sql': body('-- aibos-ack require-tenant-id: shared lookup table, reviewed'), 'm/201_down.sql': 'DROP TABLE IF EXISTS config.notes;\n' });
    const { report, exitCode } = await lintJson(project.dir, ['--rule', 'require-tenant-id=warn', 'm']);
    const d = report.diagnostics.filter((x) => x.ruleId === 'require-tenant-id');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ level: 'warn', acknowledged: true, line: 4 });
    expect(report.summary).toMatchObject({ warn: 0, acknowledged: 1 });
    expect(report.diagnostics.some((x) => x.ruleId === 'invalid-ack')).toBe(false);
    expect(exitCode).toBe(0);
    const stylish = await runCli(['lint', '--rule', 'require-tenant-id=warn', 'm'], { cwd: project.dir });
    expect(stylish.stdout).toContain('acknowledged[require-tenant-id] m/201_config_create_notes.sql:4:28: table config.notes has no tenant_id column — shared lookup table, reviewed');
    expect(stylish.stdout).toContain('1 acknowledged');
  });

  it('an ack without a reason is invalid and acknowledges nothing', async () => {
    project = tempProject({ 'm/101_finance_create_notes.sql': body('-- aibos-ack require-tenant-id') });
    const { report, exitCode } = await lintJson(project.dir, ['--rule', 'require-tenant-id=warn', 'm']);
    expect(report.diagnostics.find((x) => x.ruleId === 'require-tenant-id')?.acknowledged).toBe(false);
    expect(report.diagnostics.find((x) => x.ruleId === 'invalid-ack')).toMatchObject({ line: 3, column: 1, message: expect.stringContaining('has no reason') });
    expect(exitCode).toBe(1);
  });

  it('an ack aimed at a block finding is reported and the finding still fails', async () => {
    project = tempProject({ 'm/101_finance_create_notes.sql': body('-- aibos-ack require-tenant-id: we promise') });
    const { report, exitCode } = await lintJson(project.dir, ['m']);
    expect(report.diagnostics.find((x) => x.ruleId === 'require-tenant-id')).toMatchObject({ level: 'block', acknowledged: false });
    expect(report.diagnostics.find((x) => x.ruleId === 'invalid-ack')?.message).toContain('block-level');
    expect(exitCode).toBe(1);
  });

  it('an ack that matches nothing, or names an unknown rule, is reported', async () => {
    project = tempProject({ 'm/101_finance_create_notes.sql': `-- aibos-ack-file require-timestamps: none here\n-- aibos-ack require-tennant-id: typo\nSELECT 1;\n` });
    const { report } = await lintJson(project.dir, ['m']);
    const acks = report.diagnostics.filter((x) => x.ruleId === 'invalid-ack');
    expect(acks.map((a) => a.line)).toEqual([1, 2]);
    expect(acks[0]!.message).toContain('matches no finding');
    expect(acks[1]!.message).toContain('did you mean "require-tenant-id"?');
  });
});

describe('JSON report', () => {
  it('has exactly the documented shape', async () => {
    project = tempProject({ 'migrations/001_kernel_create_tenants.sql': TENANTS_UP, 'migrations/001_down.sql': TENANTS_DOWN });
    const { report } = await lintJson(project.dir);
    expect(Object.keys(report)).toEqual(['version', 'tool', 'summary', 'diagnostics']);
    expect(report.version).toBe(1);
    expect(report.tool).toEqual({ name: 'aibos', version: '0.1.0' });
    expect(Object.keys(report.summary)).toEqual(['files', 'block', 'warn', 'shadow', 'acknowledged', 'failed']);
    expect(report.summary.files).toBe(2);
    const sum = report.diagnostics.find((d) => d.ruleId === 'migration-checksum')!;
    expect(Object.keys(sum)).toEqual(['ruleId', 'level', 'message', 'help', 'file', 'line', 'column', 'endLine', 'endColumn', 'acknowledged']);
    expect(sum.file).toBe('migrations/aibos.sum');
  });
});
