import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { loadMigrationSet } from '../lint/project.js';
import { extensionsCreatedIn } from '../migrations/files.js';
import { formatVerifyJson, formatVerifyText } from '../verify/report.js';
import { memoryShadow, serverShadow, type ShadowSource } from '../verify/shadow.js';
import { verifyMigrations } from '../verify/verify.js';
import { action, getConfig, jsonErrors, notice, redact, useColor } from './shared.js';

interface VerifyFlags {
  url?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('shadow round-trip on a fresh database: every up, every down newest first (each must undo its up), every up again')
    .option('--url <url>', 'a server to create the temporary shadow database on (default: in-memory PGlite); never your real database')
    .option('--json', 'one JSON document on stdout')
    .action(
      action(jsonErrors(async (flags: VerifyFlags, command: Command) => {
        const config = await getConfig(command);
        if (flags.url !== undefined && !flags.url.trim()) throw new UsageError('--url is empty — pass postgres://user@host:5432/postgres (verify creates and drops its own database there).');
        const set = await loadMigrationSet(config);
        const source: ShadowSource = flags.url ? await serverShadow(flags.url) : memoryShadow(extensionsCreatedIn(set.files));
        // Ctrl-C must not leave a temporary database behind on the server.
        const onSignal = () => {
          notice('aibos verify: interrupted — dropping the shadow database');
          // The run in flight loses its connection mid-query; its errors no longer matter, only the clean-up does.
          const ignore = () => {};
          process.on('uncaughtException', ignore);
          process.on('unhandledRejection', ignore);
          void source.dispose().finally(() => process.exit(130));
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const tty = Boolean(process.stderr.isTTY);
        try {
          if (tty) notice(`aibos verify: ${set.ups.length} migration${set.ups.length === 1 ? '' : 's'} on ${redact(source.description)}`);
          const result = await verifyMigrations({
            set,
            source,
            excludedSchemas: [config.history.schema],
            progress: tty ? (line) => notice(`  ${line}`) : undefined,
          });
          process.stdout.write(flags.json ? formatVerifyJson(result) : formatVerifyText(result, useColor(command)));
          return result.ok ? 0 : 1;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await source.dispose();
        }
      })),
    );
}
