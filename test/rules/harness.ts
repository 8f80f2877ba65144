import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { mergeConfig } from '../../src/config/load.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import type { AibosConfig, ResolvedConfig } from '../../src/config/types.js';
import { lintMigrations } from '../../src/lint/engine.js';
import type { BaseSnapshot, Diagnostic } from '../../src/lint/types.js';
import { loadMigrationFiles } from '../../src/migrations/files.js';
import { parseSum } from '../../src/migrations/sum.js';
import { initParser } from '../../src/sql/parse.js';
import { ROOT } from '../helpers/project.js';

/**
 * Rule fixtures: `fixtures/rules/<id>/{valid,invalid}/<case>.sql` (one migration) or
 * `<case>/` (a folder of migrations, linted as one history).
 *
 * In a fixture file:
 * - `-- file: 101_finance_create_x.sql` on the first line names a single-file fixture
 *   (default `101_finance_create_fixture.sql`);
 * - `-- fixture-config: {json}` merges into the default config; `-- fixture-env: prod` sets --env;
 * - `-- expect: <rule-id>` at the end of a line marks a finding expected to START on that line (name
 *   the rule twice for two findings there).
 * A folder case with an `aibos.sum` is linted as the whole migrations folder (whole-folder rules run).
 * Valid cases must produce no finding of the rule; invalid cases exactly the marked ones (at least one).
 */
export const VIRTUAL_ROOT = '/virtual-project';
const DEFAULT_NAME = '101_finance_create_fixture.sql';

export interface FixtureCase {
  name: string;
  files: { name: string; text: string }[];
  /** The folder's `aibos.sum`, when it has one. */
  sum?: string;
}

export function readCases(ruleId: string, kind: 'valid' | 'invalid'): FixtureCase[] {
  const dir = path.join(ROOT, 'fixtures', 'rules', ruleId, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((entry) => {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) {
        const files = readdirSync(full)
          .filter((n) => n.endsWith('.sql'))
          .map((n) => ({ name: n, text: readFileSync(path.join(full, n), 'utf8') }));
        const sumPath = path.join(full, 'aibos.sum');
        return { name: entry, files, sum: existsSync(sumPath) ? readFileSync(sumPath, 'utf8') : undefined };
      }
      const text = readFileSync(full, 'utf8');
      const named = /^--\s*file:\s*(\S+)/.exec(text);
      return { name: entry, files: [{ name: named?.[1] ?? DEFAULT_NAME, text }] };
    });
}

function directive(files: { text: string }[], key: string): string | undefined {
  for (const f of files) {
    const m = new RegExp(`^--\\s*${key}:\\s*(.+)$`, 'm').exec(f.text);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

/**
 * `sum`: undefined lints the files as a partial run (no whole-folder checks); a string or null lints them
 * as the whole migrations folder, with that `aibos.sum` text or with none. `base`: the snapshot a `--base`
 * run compares against (e.g. `{ ref: 'main', files }`).
 */
export async function lintFiles(
  files: { name: string; text: string }[],
  overrides: Partial<AibosConfig> = {},
  env?: string,
  sum?: string | null,
  base?: BaseSnapshot,
): Promise<Diagnostic[]> {
  await initParser();
  const extra = directive(files, 'fixture-config');
  const user = mergeConfig<Partial<AibosConfig>>(overrides, extra ? JSON.parse(extra) : {});
  const merged = mergeConfig<AibosConfig>(structuredClone(DEFAULT_CONFIG), user);
  const config: ResolvedConfig = { ...merged, rootDir: VIRTUAL_ROOT, migrationsPath: path.join(VIRTUAL_ROOT, 'migrations') };
  const texts = new Map(files.map((f) => [path.join(config.migrationsPath, f.name), f.text]));
  const set = loadMigrationFiles([...texts.keys()], Object.keys(config.schemas), VIRTUAL_ROOT, texts);
  const migrationDir =
    sum === undefined ? undefined : { path: config.migrationsPath, relPath: 'migrations', files: set.files, sum: sum === null ? undefined : parseSum(sum) };
  const result = lintMigrations(set, { config, rules: builtinRules, env: env ?? directive(files, 'fixture-env'), migrationDir, base });
  return result.diagnostics;
}

/** `file:line` of every `-- expect: <id>` marker for this rule. */
export function expectedMarkers(ruleId: string, files: { name: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    f.text.split(/\r\n|\n|\r/).forEach((line, i) => {
      const m = /--\s*expect:\s*([\w@/,\s-]+)$/.exec(line);
      // A rule named twice on a line expects two findings there.
      for (const id of m ? m[1]!.split(/[\s,]+/) : []) if (id === ruleId) out.push(`migrations/${f.name}:${i + 1}`);
    });
  }
  return out.sort();
}

export function found(ruleId: string, diagnostics: Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.ruleId === ruleId)
    .map((d) => `${d.file}:${d.line}`)
    .sort();
}

/** Runs every valid and invalid fixture of a rule as its own test. */
export function describeFixtures(ruleId: string): void {
  describe(`${ruleId} fixtures`, () => {
    const valid = readCases(ruleId, 'valid');
    const invalid = readCases(ruleId, 'invalid');
    it('has valid and invalid fixtures', () => {
      expect(valid.length).toBeGreaterThan(0);
      expect(invalid.length).toBeGreaterThan(0);
    });
    for (const c of valid) {
      it(`valid/${c.name} is silent`, async () => {
        const diagnostics = await lintFiles(c.files, {}, undefined, c.sum);
        // A fixture Postgres would reject proves nothing about the rule.
        if (ruleId !== 'syntax-error') expect(found('syntax-error', diagnostics)).toEqual([]);
        expect(found(ruleId, diagnostics), JSON.stringify(diagnostics.filter((d) => d.ruleId === ruleId), null, 2)).toEqual([]);
      });
    }
    for (const c of invalid) {
      it(`invalid/${c.name} is flagged exactly on the marked lines`, async () => {
        const expected = expectedMarkers(ruleId, c.files);
        expect(expected.length, `invalid/${c.name} has no "-- expect: ${ruleId}" marker`).toBeGreaterThan(0);
        const diagnostics = await lintFiles(c.files, {}, undefined, c.sum);
        if (ruleId !== 'syntax-error') expect(found('syntax-error', diagnostics)).toEqual([]);
        expect(found(ruleId, diagnostics)).toEqual(expected);
      });
    }
  });
}

/** The id of every built-in rule, in registration order. */
export const ALL_RULE_IDS = builtinRules.map((r) => r.meta.id);
