import { ConfigError, UsageError } from '../errors.js';
import type { Level, ResolvedConfig, RuleSetting } from '../config/types.js';
import type { Rule } from './types.js';

export function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(3, Math.floor(word.length / 3)) ? best : undefined;
}

export function unknownRuleMessage(id: string, known: string[]): string {
  const hint = closest(id, known);
  return `unknown rule "${id}"${hint ? ` — did you mean "${hint}"?` : '.'} Run \`aibos rules\` for the list.`;
}

export interface ResolvedRule {
  rule: Rule;
  level: Level;
  options: Record<string, unknown>;
}

export function settingParts(setting: RuleSetting): [Level, Record<string, unknown> | undefined] {
  return Array.isArray(setting) ? [setting[0], setting[1]] : [setting, undefined];
}

export function configName(config: ResolvedConfig): string {
  return config.filepath ? config.filepath.split(/[\\/]/).pop()! : 'config';
}

/** Every rule setting the config writes, in `rules` and each environment's `rules`, with its key path. */
export function configuredRules(config: ResolvedConfig): { where: string; id: string; setting: RuleSetting }[] {
  const own = Object.entries(config.rules).map(([id, setting]) => ({ where: `rules.${id}`, id, setting }));
  const envs = Object.entries(config.environments).flatMap(([name, environment]) =>
    Object.entries(environment.rules ?? {}).map(([id, setting]) => ({ where: `environments.${name}.rules.${id}`, id, setting })),
  );
  return [...own, ...envs];
}

/**
 * Level precedence, lowest first: the rule's default, its default for the environment,
 * config `rules`, config `environments.<env>.rules`, then `--rule id=level`.
 */
export function resolveRules(rules: Rule[], config: ResolvedConfig, env: string, overrides: Record<string, Level> = {}): ResolvedRule[] {
  const ids = rules.map((r) => r.meta.id);
  const known = new Set(ids);
  for (const { where, id } of configuredRules(config))
    if (!known.has(id)) throw new ConfigError(`Invalid config in ${configName(config)}: ${where}: ${unknownRuleMessage(id, ids)}`);
  for (const id of Object.keys(overrides)) if (!known.has(id)) throw new UsageError(`--rule ${id}: ${unknownRuleMessage(id, ids)}`);

  const envRules = config.environments[env]?.rules ?? {};
  return rules.map((rule) => {
    let level: Level = rule.meta.envLevels?.[env] ?? rule.meta.level;
    let options: Record<string, unknown> = { ...(rule.meta.defaultOptions ?? {}) };
    for (const setting of [config.rules[rule.meta.id], envRules[rule.meta.id]]) {
      if (setting === undefined) continue;
      const [l, o] = settingParts(setting);
      level = l;
      if (o) options = { ...options, ...o };
    }
    if (overrides[rule.meta.id]) level = overrides[rule.meta.id]!;
    return { rule, level, options };
  });
}

const LEVELS: Level[] = ['off', 'shadow', 'warn', 'block'];

/** Parses repeated `--rule id=level` flags. */
export function parseRuleFlags(flags: string[]): Record<string, Level> {
  const out: Record<string, Level> = {};
  for (const flag of flags) {
    const m = /^([^=\s]+)=(\w+)$/.exec(flag.trim());
    if (!m) throw new UsageError(`--rule ${flag}: expected id=level, e.g. --rule require-tenant-id=warn.`);
    if (!LEVELS.includes(m[2] as Level)) throw new UsageError(`--rule ${flag}: unknown level "${m[2]}"; use one of ${LEVELS.join(', ')}.`);
    out[m[1]!] = m[2] as Level;
  }
  return out;
}
