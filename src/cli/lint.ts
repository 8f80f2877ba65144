import type { Command } from 'commander';
import { lintProject } from '../lint/project.js';
import { parseRuleFlags } from '../lint/levels.js';
import { VERSION } from '../paths.js';
import { getFormatter } from '../report/index.js';
import { action, collect, emit, getConfig, useColor } from './shared.js';

interface LintFlags {
  format: string;
  output?: string;
  env?: string;
  rule?: string[];
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('lint')
    .description('check migration files against the Schema Guardian rules')
    .argument('[paths...]', 'files and folders (recursive *.sql); default: migrationsDir')
    .option('-f, --format <name>', 'stylish, json, sarif, github or junit', 'stylish')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--env <name>', 'apply environments.<name>.rules (default: defaultEnv)')
    .option('--rule <id=level>', 'override a rule level (repeatable)', collect)
    .option('-q, --quiet', 'hide shadow findings')
    .action(
      action(async (paths: string[], flags: LintFlags, command: Command) => {
        const formatter = getFormatter(flags.format);
        const ruleOverrides = parseRuleFlags(flags.rule ?? []);
        const config = await getConfig(command);
        const result = await lintProject({ config, paths, env: flags.env, ruleOverrides });
        const text = formatter(result, { color: !flags.output && useColor(command), quiet: Boolean(flags.quiet), cwd: process.cwd(), toolVersion: VERSION });
        emit(text, flags.output);
        return result.summary.failed ? 1 : 0;
      }),
    );
}
