import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { FileError } from '../errors.js';
import { loadMigrationFiles, toRelPath } from '../migrations/files.js';
import { writeSum } from '../migrations/sum.js';
import type { ResolvedConfig } from '../config/types.js';
import { action, getConfig } from './shared.js';

/** Rewrites `aibos.sum` for the migrations folder; returns how many files it lists. */
export async function rewriteSum(config: ResolvedConfig): Promise<{ file: string; count: number }> {
  const dir = config.migrationsPath;
  if (!existsSync(dir)) throw new FileError(`No migrations folder at ${toRelPath(dir)} — run \`aibos init\`, or set migrationsDir in the config.`);
  const names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.sql'));
  const set = loadMigrationFiles(names.map((n) => path.join(dir, n)), Object.keys(config.schemas));
  return { file: writeSum(dir, set.files), count: set.files.length };
}

export function register(program: Command): void {
  program
    .command('sum')
    .description('rewrite migrations/aibos.sum from the migration files')
    .action(
      action(async (_flags: unknown, command: Command) => {
        const { file, count } = await rewriteSum(await getConfig(command));
        process.stdout.write(`wrote ${toRelPath(file)} (${count} file${count === 1 ? '' : 's'})\n`);
        return 0;
      }),
    );
}
