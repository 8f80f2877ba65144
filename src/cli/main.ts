import { Command, CommanderError } from 'commander';
import { VERSION } from '../paths.js';
import { reportError } from './shared.js';

type CommandModule = { register(program: Command): void };

/**
 * Each command module adds itself to the program. Keyed by command name so a
 * run imports only the module of the command it runs (startup time of
 * `aibos lint` in a pre-commit hook); help and unknown commands load them all.
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

/** Global options that take a value: their value is not the command name. */
const VALUE_OPTIONS = new Set(['-c', '--config']);

/** The command named on the command line, if any (the first word that is not an option or its value). */
export function commandName(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1];
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

export async function buildProgram(argv: string[] = process.argv.slice(2)): Promise<Command> {
  const program = new Command('aibos')
    .description('Governance CLI of the AI-BOS Data Fabric: lint, apply and verify Postgres migrations')
    .version(VERSION, '-v, --version')
    .option('-c, --config <file>', 'config file (default: found from the working directory)')
    .option('--no-color', 'plain output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const name = commandName(argv);
  const load = name !== undefined && Object.hasOwn(commands, name) ? [commands[name]!] : Object.values(commands);
  const modules = new Set(await Promise.all(load.map((l) => l())));
  for (const mod of modules) mod.register(program);
  return program;
}

// `aibos lint | head`: the reader went away; stop quietly instead of crashing with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

try {
  await (await buildProgram()).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help asked for and --version exit 0; every usage error (unknown flag, missing argument, a missing
    // subcommand, for which commander prints the help on stderr with exit code 1) exits 2.
    const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0;
    process.exitCode = ok ? 0 : 2;
  } else process.exitCode = reportError(error);
}
// Every command has finished its work by now: its files and databases are closed. Exit once stdout and stderr
// have flushed (an empty write's callback runs after the writes before it; on Linux they are already written,
// pipes on macOS are asynchronous) rather than let Node wait for the last handles: a server connection is only
// gone once the server has closed its end after our goodbye (10-20 ms of a no-op `migrate up`).
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(process.exitCode ?? 0);
