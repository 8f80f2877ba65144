import path from 'node:path';
import type { Command } from 'commander';
import { folderSqlNames, loadMigrationFiles, requireMigrationsFolder, toRelPath } from '../migrations/files.js';
import { writeSum } from '../migrations/sum.js';
import type { ResolvedConfig } from '../config/types.js';
import { action, getConfig } from './shared.js';

/**
 * Rewrites `aibos.sum` for the migrations folder; returns how many files it lists. `texts`: files
 * already read (absolute path -> text), which are not read again.
 */
export async function rewriteSum(config: ResolvedConfig, texts?: Map<string, string>): Promise<{ file: string; count: number }> {
  const dir = requireMigrationsFolder(config.migrationsPath);
  const names = folderSqlNames(dir);
  const set = loadMigrationFiles(names.map((n) => path.join(dir, n)), Object.keys(config.schemas), process.cwd(), texts);
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
