import { pathToFileURL } from 'node:url';
import { builtinRules } from '../../rules/index.js';
import { resolvePlugin } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import type { Rule } from './types.js';
import { importModule } from '../import-module.js';
import { checkRuleOptions } from './rule-options.js';

function isRule(value: unknown): value is Rule {
  const r = value as Rule;
  return typeof r === 'object' && r !== null && typeof r.create === 'function' && typeof r.meta?.id === 'string';
}

/** Built-in rules plus the rules of every plugin in config `plugins`, with the options the config gives them checked. */
export async function loadRules(config: ResolvedConfig): Promise<Rule[]> {
  const rules = config.plugins.length ? await withPlugins(config) : builtinRules;
  await checkRuleOptions(rules, config);
  return rules;
}

async function withPlugins(config: ResolvedConfig): Promise<Rule[]> {
  const rules = [...builtinRules];
  const owner = new Map(rules.map((r) => [r.meta.id, 'aibos (built-in)']));
  for (const [i, specifier] of config.plugins.entries()) {
    let mod: Record<string, unknown>;
    try {
      mod = await importModule<Record<string, unknown>>(pathToFileURL(resolvePlugin(specifier, config.rootDir)).href);
    } catch (error) {
      throw new ConfigError(`plugins[${i}]: cannot load "${specifier}": ${(error as Error).message.split('\n')[0]} — check the path (relative to the config file) or install the package.`);
    }
    const exported = (mod.rules ?? (mod.default as { rules?: unknown })?.rules ?? mod.default) as unknown;
    const list = Array.isArray(exported) ? exported : [];
    if (!list.length || !list.every(isRule))
      throw new ConfigError(`plugins[${i}]: "${specifier}" must export \`rules\`: an array of { meta: { id, level, category, summary }, create(context) }.`);
    for (const rule of list) {
      const clash = owner.get(rule.meta.id);
      if (clash) throw new ConfigError(`plugins[${i}]: rule id "${rule.meta.id}" from "${specifier}" clashes with ${clash} — rename the plugin's rule.`);
      owner.set(rule.meta.id, `plugin "${specifier}"`);
      rules.push(rule);
    }
  }
  return rules;
}
