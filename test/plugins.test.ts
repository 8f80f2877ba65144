import { afterEach, describe, expect, it } from 'vitest';
import { lintJson, runCli, tempProject, type TempProject } from './helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const PLUGIN = `export const rules = [{
  meta: { id: 'acme-no-cascade', level: 'warn', category: 'safety', summary: 'No ON DELETE CASCADE in Acme schemas.' },
  create(context) {
    return {
      Constraint(node) {
        if (node.contype === 'CONSTR_FOREIGN' && node.fk_del_action === 'c')
          context.report({ node, message: 'ON DELETE CASCADE is not allowed here', help: 'use ON DELETE RESTRICT' });
      },
    };
  },
}];
`;

describe('plugins', () => {
  it('a plugin module adds rules that run like built-ins and show in aibos rules', async () => {
    project = tempProject({
      'acme-rules.mjs': PLUGIN,
      '.aibosrc.json': JSON.stringify({ plugins: ['./acme-rules.mjs'] }),
      'm/101_finance_create_x.sql': 'CREATE TABLE IF NOT EXISTS finance.x (\n  id uuid PRIMARY KEY,\n  parent_id uuid REFERENCES finance.x (id) ON DELETE CASCADE\n);\n',
    });
    const { report } = await lintJson(project.dir, ['m']);
    expect(report.diagnostics.filter((d) => d.ruleId === 'acme-no-cascade').map((d) => [d.level, d.line, d.column])).toEqual([['warn', 3, 18]]);
    const rules = await runCli(['rules', '--format', 'json'], { cwd: project.dir });
    expect(JSON.parse(rules.stdout).map((r: { id: string }) => r.id)).toContain('acme-no-cascade');
  });

  it('a plugin rule gates migrate up like a built-in (the migrate bundle imports it through its loader)', async () => {
    project = tempProject({
      'acme-rules.mjs': PLUGIN,
      '.aibosrc.json': JSON.stringify({ plugins: ['./acme-rules.mjs'], schemas: { finance: { range: [100, 199] } }, rules: { 'acme-no-cascade': 'block' } }),
      'migrations/101_finance_create_x.sql': 'CREATE TABLE IF NOT EXISTS finance.x (\n  id uuid PRIMARY KEY,\n  parent_id uuid REFERENCES finance.x (id) ON DELETE CASCADE\n);\n',
    });
    expect((await runCli(['sum'], { cwd: project.dir })).exitCode).toBe(0);
    const r = await runCli(['migrate', 'up', '--dry-run'], { cwd: project.dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('block[acme-no-cascade]: ON DELETE CASCADE is not allowed here\n --> migrations/101_finance_create_x.sql:3:18');
    expect(r.stderr).toContain('aibos: Nothing was applied: lint found');
  });

  it('a plugin rule id that clashes with a built-in is a config error', async () => {
    project = tempProject({
      'clash.mjs': PLUGIN.replace('acme-no-cascade', 'require-tenant-id'),
      '.aibosrc.json': JSON.stringify({ plugins: ['./clash.mjs'] }),
      'm/101_finance_create_x.sql': 'SELECT 1;',
    });
    const r = await runCli(['lint', 'm'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('plugins[0]: rule id "require-tenant-id" from "./clash.mjs" clashes with aibos (built-in)');
  });

  it("a plugin rule's options are checked against its optionsSchema, or the keys of its defaultOptions", async () => {
    const withOptions = PLUGIN.replace(
      "summary: 'No ON DELETE CASCADE in Acme schemas.' }",
      "summary: 'No ON DELETE CASCADE in Acme schemas.', defaultOptions: { schemas: [] } }",
    );
    expect(withOptions).not.toBe(PLUGIN);
    project = tempProject({
      'acme-rules.mjs': withOptions,
      'typed-rules.mjs': withOptions.replace('acme-no-cascade', 'acme-typed').replace('defaultOptions: { schemas: [] }', "optionsSchema: { type: 'object', properties: { schemas: { type: 'array', items: { type: 'string' } } } }"),
      '.aibosrc.json': JSON.stringify({ plugins: ['./acme-rules.mjs', './typed-rules.mjs'], rules: { 'acme-no-cascade': ['warn', { schema: ['finance'] }] } }),
      'm/101_finance_create_x.sql': 'SELECT 1;',
    });
    const typo = await runCli(['lint', 'm'], { cwd: project.dir });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: rules.acme-no-cascade: unknown option "schema" — did you mean "schemas"?');
    project.write('.aibosrc.json', JSON.stringify({ plugins: ['./acme-rules.mjs', './typed-rules.mjs'], rules: { 'acme-typed': ['warn', { schemas: 'finance' }] } }));
    const typed = await runCli(['lint', 'm'], { cwd: project.dir });
    expect(typed.exitCode).toBe(2);
    expect(typed.stderr.trim()).toBe('aibos: Invalid config in .aibosrc.json: rules.acme-typed: option "schemas" must be an array of strings — see `aibos rules acme-typed`.');
  });

  it('a plugin that cannot be loaded names itself', async () => {
    project = tempProject({ '.aibosrc.json': JSON.stringify({ plugins: ['./missing.mjs'] }), 'm/101_finance_create_x.sql': 'SELECT 1;' });
    const r = await runCli(['lint', 'm'], { cwd: project.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('plugins[0]: cannot load "./missing.mjs"');
  });
});
