import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { checkRuleOptions } from '../../src/lint/rule-options.js';
import { ROOT } from '../helpers/project.js';
import { ALL_RULE_IDS, found, lintFiles, readCases } from './harness.js';

/**
 * Code blocks under `## Incorrect` / `## Correct`, each with an optional `<!-- file: name -->` before it:
 * each block is one example, or, when the section says `<!-- together -->`, all of them are one run (an up
 * and its down).
 */
function docExamples(doc: string, heading: 'Incorrect' | 'Correct'): { name: string; text: string }[][] {
  const section = new RegExp(`^## ${heading}\\s*$([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(doc)?.[1] ?? '';
  const out: { name: string; text: string }[] = [];
  const block = /(?:<!--\s*file:\s*(\S+)\s*-->\s*)?```sql\n([\s\S]*?)```/g;
  for (let m = block.exec(section); m; m = block.exec(section)) out.push({ name: m[1] ?? '101_finance_create_example.sql', text: m[2]! });
  return /<!--\s*together\s*-->/.test(section) ? [out] : out.map((file) => [file]);
}

/**
 * Rules whose doc examples cannot be linted as single files: migration-checksum is about aibos.sum and a
 * --base snapshot, which a one-file example does not carry (its fixtures cover it instead).
 */
const DOC_EXAMPLES_EXEMPT = ['migration-checksum'];

describe('rule registry', () => {
  const ids = ALL_RULE_IDS;

  it('has unique kebab-case ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('declares a schema for the options of every rule that takes some, which its defaults satisfy', async () => {
    const withOptions = builtinRules.filter((r) => r.meta.defaultOptions);
    expect(withOptions.length).toBeGreaterThan(0);
    for (const { meta } of withOptions) {
      expect(Object.keys(meta.optionsSchema?.properties ?? {}), `${meta.id} meta.optionsSchema`).toEqual(Object.keys(meta.defaultOptions!));
      const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: { [meta.id]: [meta.level, meta.defaultOptions!] }, rootDir: ROOT, migrationsPath: ROOT };
      await expect(checkRuleOptions(builtinRules, config)).resolves.toBeUndefined();
    }
  });

  for (const rule of builtinRules) {
    const id = rule.meta.id;
    describe(id, () => {
      it('has its module, doc, fixtures and test', () => {
        expect(existsSync(path.join(ROOT, 'rules', `${id}.ts`)), `rules/${id}.ts`).toBe(true);
        expect(existsSync(path.join(ROOT, 'rules', `${id}.md`)), `rules/${id}.md`).toBe(true);
        expect(existsSync(path.join(ROOT, 'test', 'rules', `${id}.test.ts`)), `test/rules/${id}.test.ts`).toBe(true);
        expect(readCases(id, 'valid').length, `fixtures/rules/${id}/valid`).toBeGreaterThan(0);
        expect(readCases(id, 'invalid').length, `fixtures/rules/${id}/invalid`).toBeGreaterThan(0);
      });

      it('documents why, how to fix, an incorrect and a correct example', () => {
        const doc = readFileSync(path.join(ROOT, 'rules', `${id}.md`), 'utf8');
        expect(doc.startsWith(`# ${id}\n`)).toBe(true);
        for (const heading of ['## Why', '## How to fix', '## Incorrect', '## Correct']) expect(doc, `${id}.md lacks ${heading}`).toContain(heading);
      });

      it('doc examples behave as labelled', async () => {
        const doc = readFileSync(path.join(ROOT, 'rules', `${id}.md`), 'utf8');
        if (!DOC_EXAMPLES_EXEMPT.includes(id)) {
          expect(docExamples(doc, 'Incorrect').length, `${id}.md has no \`\`\`sql block under ## Incorrect`).toBeGreaterThan(0);
          expect(docExamples(doc, 'Correct').length, `${id}.md has no \`\`\`sql block under ## Correct`).toBeGreaterThan(0);
        }
        const shown = (files: { text: string }[]) => files.map((f) => f.text).join('\n');
        for (const files of docExamples(doc, 'Incorrect')) {
          const diagnostics = await lintFiles(files);
          expect(found(id, diagnostics).length, `Incorrect example of ${id} is not flagged:\n${shown(files)}`).toBeGreaterThan(0);
        }
        for (const files of docExamples(doc, 'Correct')) {
          const diagnostics = await lintFiles(files);
          expect(found(id, diagnostics), `Correct example of ${id} is flagged:\n${shown(files)}`).toEqual([]);
        }
      });
    });
  }
});
