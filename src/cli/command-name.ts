/** Global options that take a value: their value is not the command name. */
const VALUE_OPTIONS = new Set(['-c', '--config']);

/**
 * The command named on the command line, if any (the first word that is not an option or its value).
 * bin/aibos.js asks it (as dist/cli/command-name.cjs) which command's bundle to run.
 */
export function commandName(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1];
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}
