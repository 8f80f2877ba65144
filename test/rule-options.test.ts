import { describe, expect, it, vi } from 'vitest';
import { builtinRules } from '../rules/index.js';
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { checkRuleOptions } from '../src/lint/rule-options.js';
import type { Rule } from '../src/lint/types.js';

// Importing ajv costs more than a one-file lint: the built-in rules' schemas are checked without it.
const ajvImports = vi.hoisted(() => ({ count: 0 }));
vi.mock('ajv', async () => {
  ajvImports.count++;
  const { default: Ajv } = await vi.importActual<{ default: unknown }>('ajv');
  return { default: Ajv };
});

function config(rules: ResolvedConfig['rules']): ResolvedConfig {
  return { ...DEFAULT_CONFIG, rules, filepath: '/p/.aibosrc.json', rootDir: '/p', migrationsPath: '/p/migrations' };
}

describe('checkRuleOptions', () => {
  it('checks the built-in rules without importing ajv', async () => {
    await expect(checkRuleOptions(builtinRules, config({ 'require-fk-on-id': ['warn', { ignoreColumns: ['stripe_id'] }], 'normal-form-1nf': ['shadow', { allowArrayColumns: [] }] }))).resolves.toBeUndefined();
    await expect(checkRuleOptions(builtinRules, config({ 'require-fk-on-id': ['warn', { ignoreColumns: 'stripe_id' }] }))).rejects.toThrow('option "ignoreColumns" must be an array of strings');
    expect(ajvImports.count).toBe(0);
  });

  it('hands a schema with keywords it does not check to ajv', async () => {
    const rule: Rule = {
      meta: { id: 'acme-x', level: 'warn', category: 'safety', summary: 'x', optionsSchema: { type: 'object', properties: { table: { type: 'string', pattern: '^[a-z]+\\.[a-z]+$' } } } },
      create: () => ({}),
    };
    await expect(checkRuleOptions([rule], config({ 'acme-x': ['warn', { table: 'x' }] }))).rejects.toThrow(
      'Invalid config in .aibosrc.json: rules.acme-x: options.table: must match pattern "^[a-z]+\\.[a-z]+$" — see `aibos rules acme-x`.',
    );
    await expect(checkRuleOptions([rule], config({ 'acme-x': ['warn', { table: 'finance.x', tabel: 1 }] }))).resolves.toBeUndefined();
    expect(ajvImports.count).toBe(1);
  });
});
