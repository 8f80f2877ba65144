import { Command, CommanderError } from 'commander';
import { VERSION } from '../paths.js';
import { commandName } from './command-name.js';
import { reportError } from './shared.js';

export type CommandModule = { register(program: Command): void };

/** The program with the global options and the commands of `modules`. */
function buildProgram(modules: Iterable<CommandModule>): Command {
  const program = new Command('aibos')
    .description('Governance CLI of the AI-BOS Data Fabric: lint, apply and verify Postgres migrations')
    .version(VERSION, '-v, --version')
    .option('-c, --config <file>', 'config file (default: found from the working directory)')
    .option('--no-color', 'plain output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const mod of modules) mod.register(program);
  return program;
}

/**
 * Runs the command line with the command modules `load` gives for the command it names (all of them for
 * help or an unknown command), and exits with the command's code.
 */
export async function runProgram(load: (name: string | undefined) => Promise<Iterable<CommandModule>>, argv: string[] = process.argv): Promise<never> {
  // `aibos lint | head`: the reader went away; stop quietly instead of crashing with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  try {
    await buildProgram(await load(commandName(argv.slice(2)))).parseAsync(argv);
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
}
