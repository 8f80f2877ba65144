import path from 'node:path';
import type { Command } from 'commander';
import { openRepo } from '../git/repo.js';
import { installHook, uninstallHook, type HookOutcome } from '../hook/install.js';
import { action, emit } from './shared.js';

function describe(outcome: HookOutcome, cwd: string): string {
  const file = path.relative(cwd, outcome.file) || outcome.file;
  switch (outcome.action) {
    case 'installed':
      return `Installed the aibos pre-commit hook at ${file}: commits with failing findings in staged migrations are refused (skip once with \`git commit --no-verify\`).`;
    case 'updated':
      return `Updated the aibos pre-commit hook at ${file}.`;
    case 'unchanged':
      return `The aibos pre-commit hook at ${file} is already installed and up to date.`;
    case 'removed':
      return `Removed the aibos pre-commit hook ${file}.`;
    case 'absent':
      return `No pre-commit hook at ${file} — nothing to remove.`;
    case 'foreign':
      return `${file} was not written by aibos — left untouched; if it calls aibos, remove that line yourself.`;
  }
}

export function register(program: Command): void {
  const hook = program.command('hook').description('install or remove the git pre-commit hook that runs `aibos lint --staged`');
  hook
    .command('install')
    .description('write the pre-commit hook (honours core.hooksPath; never overwrites a hook aibos did not write)')
    .action(
      action(async () => {
        const repo = await openRepo(process.cwd(), 'aibos hook install');
        emit(describe(await installHook(repo), repo.cwd) + '\n');
        return 0;
      }),
    );
  hook
    .command('uninstall')
    .description('remove the pre-commit hook aibos wrote (and nothing else)')
    .action(
      action(async () => {
        const repo = await openRepo(process.cwd(), 'aibos hook uninstall');
        emit(describe(await uninstallHook(repo), repo.cwd) + '\n');
        return 0;
      }),
    );
}
