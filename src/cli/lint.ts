import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { environmentName } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { readBaseSnapshot } from '../git/base.js';
import { openRepo } from '../git/repo.js';
import { readStaged } from '../git/staged.js';
import { lintProject, type LintRequest } from '../lint/project.js';
import { parseRuleFlags } from '../lint/levels.js';
import { withoutFindingsOn } from '../lint/restrict.js';
import { loadRuleDocs } from '../lint/rule-docs.js';
import type { LintResult } from '../lint/types.js';
import { toRelPath } from '../migrations/files.js';
import { VERSION } from '../paths.js';
import { getFormatter } from '../report/index.js';
import { timing } from '../lint/timing.js';
import { action, collect, emit, getConfig, notice, useColor } from './shared.js';

interface LintFlags {
  format: string;
  output?: string;
  env?: string;
  rule?: string[];
  quiet?: boolean;
  staged?: boolean;
  base?: string;
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
    .option('--staged', 'lint what the next commit holds (the git index), reporting only files it changes')
    .option('--base <ref>', 'also report every migration that existed at this git ref and was edited, renamed or deleted since')
    .action(
      action(async (paths: string[], flags: LintFlags, command: Command) => {
        // Let V8 optimise JavaScript later than its default (8x the budget): in a lint of a second or
        // two on two cores, beside the parser thread, TurboFan's work outweighed what most functions
        // gained (corpus lint -16%; one-file lint unchanged). Only here: long PGlite sessions
        // (`verify`) showed no gain from it, and looked slower.
        setFlagsFromString('--interrupt-budget=540672');
        const formatter = getFormatter(flags.format);
        const ruleOverrides = parseRuleFlags(flags.rule ?? []);
        const config = await getConfig(command);
        const request: LintRequest = { config, paths, env: environmentName(config, flags.env), ruleOverrides };
        const { result, nothingStaged } = flags.staged || flags.base !== undefined ? await lintFromGit(request, flags) : { result: await lintProject(request), nothingStaged: false };
        timing?.mark('lint');
        const options = {
          color: !flags.output && useColor(command),
          quiet: Boolean(flags.quiet),
          cwd: process.cwd(),
          toolVersion: VERSION,
          ruleDocs: flags.format === 'sarif' ? loadRuleDocs(result.rules) : undefined,
        };
        // The notice already said there is nothing to check: a stylish summary of the files read for context
        // would contradict it. Machine formats still get their one document.
        if (!(nothingStaged && flags.format === 'stylish' && !flags.output))
          emit(formatter.chunks ? formatter.chunks(result, options) : formatter(result, options), flags.output);
        timing?.mark(`report (${flags.format}) and write`);
        timing?.print((t) => process.stderr.write(t));
        return result.summary.failed ? 1 : 0;
      }),
    );
}

/** `--staged` and `--base`: the same lint, fed from the git index and/or compared with a ref. */
async function lintFromGit(request: LintRequest & { config: ResolvedConfig }, flags: LintFlags): Promise<{ result: LintResult; nothingStaged: boolean }> {
  const cwd = process.cwd();
  const repo = await openRepo(cwd, flags.staged ? 'lint --staged' : 'lint --base');
  const targets = request.paths?.length ? request.paths.map((p) => path.resolve(cwd, p)) : [request.config.migrationsPath];
  const base = flags.base !== undefined ? await readBaseSnapshot(repo, flags.base, targets) : undefined;
  if (!flags.staged) return { result: await lintProject({ ...request, base }), nothingStaged: false };

  const staged = await readStaged(repo, targets, request.config.migrationsPath, base?.commit);
  if (!staged.changed.size) notice(`aibos: the index has no changes under ${targets.map((t) => toRelPath(t, cwd) || '.').join(', ')} — nothing to check.`);
  const result = await lintProject({ ...request, paths: undefined, texts: staged.texts, folder: staged.folder, base });
  // Findings on migrations the commit leaves alone are not its concern; with no change at all, nothing is.
  const untouched = staged.changed.size
    ? new Set([...staged.texts.keys()].filter((abs) => !staged.changed.has(abs)).map((abs) => toRelPath(abs, cwd)))
    : new Set(result.diagnostics.map((d) => d.file));
  return { result: withoutFindingsOn(result, untouched), nothingStaged: !staged.changed.size };
}
