import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { unknownRuleMessage } from '../lint/levels.js';
import { loadRules } from '../lint/plugins.js';
import { loadRuleDocs } from '../lint/rule-docs.js';
import { action, emit, getConfig } from './shared.js';

export function register(program: Command): void {
  program
    .command('rules')
    .description('list every rule, or print one rule\'s documentation')
    .argument('[id]', 'a rule id')
    .option('--format <name>', 'text or json', 'text')
    .action(
      action(async (id: string | undefined, flags: { format: string }, command: Command) => {
        if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format ${flags.format}: use text or json.`);
        const config = await getConfig(command);
        const rules = await loadRules(config);
        if (id) {
          const rule = rules.find((r) => r.meta.id === id);
          if (!rule) throw new UsageError(unknownRuleMessage(id, rules.map((r) => r.meta.id)));
          const doc = loadRuleDocs([rule]).get(id)?.markdown ?? `# ${id}\n\n${rule.meta.summary}\n`;
          emit(flags.format === 'json' ? JSON.stringify({ ...describe(rule.meta), doc }, null, 2) + '\n' : doc);
          return 0;
        }
        if (flags.format === 'json') {
          emit(JSON.stringify(rules.map((r) => describe(r.meta)), null, 2) + '\n');
          return 0;
        }
        const width = Math.max(...rules.map((r) => r.meta.id.length));
        const lines = rules.map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.level.padEnd(6)}  ${r.meta.category.padEnd(10)}  ${r.meta.summary}`);
        emit(`${'id'.padEnd(width)}  level   category    summary\n${lines.join('\n')}\n\n${rules.length} rules; \`aibos rules <id>\` prints one rule's documentation.\n`);
        return 0;
      }),
    );
}

function describe(meta: { id: string; level: string; category: string; summary: string; envLevels?: Record<string, string> }) {
  return { id: meta.id, level: meta.level, category: meta.category, summary: meta.summary, envLevels: meta.envLevels ?? {}, docs: `rules/${meta.id}.md` };
}
