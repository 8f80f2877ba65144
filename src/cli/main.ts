import { runProgram, type CommandModule } from './program.js';

/**
 * Each command module adds itself to the program. Keyed by command name so a
 * run imports only the module of the command it runs (startup time of
 * `aibos lint` in a pre-commit hook); help and unknown commands load them all.
 * (bin/aibos.js runs `lint` and `migrate` without this file: see scripts/bundle.mjs.)
 */
const commands: Record<string, () => Promise<CommandModule>> = {
  lint: () => import('./lint.js'),
  rules: () => import('./rules.js'),
  sum: () => import('./sum.js'),
  init: () => import('./scaffold.js'),
  new: () => import('./scaffold.js'),
  migrate: () => import('./migrate.js'),
  hook: () => import('./hook.js'),
  verify: () => import('./verify.js'),
  approve: () => import('./approve.js'),
};

await runProgram(async (name) => {
  const load = name !== undefined && Object.hasOwn(commands, name) ? [commands[name]!] : Object.values(commands);
  return new Set(await Promise.all(load.map((l) => l())));
});
