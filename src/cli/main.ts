import { Command, CommanderError } from 'commander';
import { VERSION } from '../paths.js';
import { register as registerApprove } from './approve.js';
import { register as registerHook } from './hook.js';
import { register as registerLint } from './lint.js';
import { register as registerMigrate } from './migrate.js';
import { register as registerRules } from './rules.js';
import { register as registerScaffold } from './scaffold.js';
import { register as registerSum } from './sum.js';
import { register as registerVerify } from './verify.js';
import { reportError } from './shared.js';

/** Each command module adds itself to the program. */
const commands: ((program: Command) => void)[] = [registerLint, registerRules, registerSum, registerScaffold, registerHook, registerMigrate, registerVerify, registerApprove];

export function buildProgram(): Command {
  const program = new Command('aibos')
    .description('Governance CLI of the AI-BOS Data Fabric: lint, apply and verify Postgres migrations')
    .version(VERSION, '-v, --version')
    .option('-c, --config <file>', 'config file (default: found from the working directory)')
    .option('--no-color', 'plain output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const add of commands) add(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version exit 0; every usage error (unknown flag, missing argument) exits 2.
    const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' || error.exitCode === 0;
    process.exitCode = ok ? 0 : 2;
  } else process.exitCode = reportError(error);
}
