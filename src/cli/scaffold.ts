import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { Catalog } from '../catalog/catalog.js';
import { UsageError } from '../errors.js';
import { describeName, folderSqlNames, loadMigrationFiles, toRelPath } from '../migrations/files.js';
import { blankTemplate, createTableTemplate, tenantsTemplate } from '../migrations/templates.js';
import { initParser } from '../sql/parse.js';
import { packageRoot } from '../paths.js';
import { rewriteSum } from './sum.js';
import { action, getConfig, notice } from './shared.js';

function author(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export function register(program: Command): void {
  program
    .command('init')
    .description('write .aibosrc.json and a migrations folder with kernel.tenants')
    .action(
      action(async (_flags: unknown, command: Command) => {
        const cwd = process.cwd();
        const configPath = path.join(cwd, '.aibosrc.json');
        if (existsSync(configPath)) notice('.aibosrc.json exists, left unchanged');
        else {
          copyFileSync(path.join(packageRoot(), '.aibosrc.example.json'), configPath);
          notice('wrote .aibosrc.json');
        }
        const config = await getConfig(command);
        const dir = config.migrationsPath;
        mkdirSync(dir, { recursive: true });
        const hasSql = folderSqlNames(dir).length > 0;
        if (!hasSql) {
          const t = tenantsTemplate(author());
          writeFileSync(path.join(dir, '001_kernel_create_tenants.sql'), t.up);
          writeFileSync(path.join(dir, '001_down.sql'), t.down);
          notice(`wrote ${toRelPath(path.join(dir, '001_kernel_create_tenants.sql'))} and 001_down.sql`);
        }
        const ignore = path.join(cwd, '.gitignore');
        const ignored = existsSync(ignore) ? readFileSync(ignore, 'utf8') : '';
        if (!/^\/?\.aibos\/?$/m.test(ignored)) {
          appendFileSync(ignore, `${ignored && !ignored.endsWith('\n') ? '\n' : ''}# aibos embedded database\n.aibos/\n`);
          notice('added .aibos/ to .gitignore');
        }
        await rewriteSum(config);
        notice('next: `aibos new finance create accounts`, then `aibos lint` and `aibos migrate up`');
        return 0;
      }),
    );

  program
    .command('new')
    .description('create the next numbered migration (up and down) from a template')
    .argument('<schema>', 'schema, e.g. finance')
    .argument('<action>', 'e.g. create, alter, add, seed')
    .argument('<entity>', 'e.g. accounts')
    .action(
      action(async (schema: string, act: string, entity: string, _flags: unknown, command: Command) => {
        for (const [what, value] of [['schema', schema], ['action', act], ['entity', entity]] as const)
          if (!SNAKE.test(value)) throw new UsageError(`${what} "${value}" must be lower snake_case (e.g. finance create journal_entries).`);
        const config = await getConfig(command);
        const settings = config.schemas[schema];
        if (!settings) throw new UsageError(`schema "${schema}" has no range in the config; use one of ${Object.keys(config.schemas).join(', ')} or add it under "schemas".`);
        const dir = config.migrationsPath;
        mkdirSync(dir, { recursive: true });
        await initParser();
        const set = loadMigrationFiles(
          folderSqlNames(dir).map((n) => path.join(dir, n)),
          Object.keys(config.schemas),
        );
        const [low, high] = settings.range;
        const used = set.files.map((f) => f.seq).filter((s): s is number => s !== undefined && s >= low && s <= high);
        const seq = used.length ? Math.max(...used) + 1 : low;
        if (seq > high) throw new UsageError(`the ${schema} range ${low}-${high} is full — widen schemas.${schema}.range in the config.`);
        const seqText = String(seq).padStart(3, '0');
        const name = `${seqText}_${schema}_${act}_${entity}.sql`;
        if (!describeName(name, Object.keys(config.schemas)).grammarOk) throw new UsageError(`${name} would not be a valid migration name.`);
        const catalog = new Catalog();
        for (const f of set.ups) for (const s of f.parsed.statements) catalog.apply(s, f.relPath);
        const input = {
          seq: seqText,
          schema,
          action: act,
          entity,
          author: author(),
          tenantColumn: config.tenancy.column,
          tenantsTable: config.tenancy.tenantsTable,
          softDelete: Boolean(settings.softDelete),
          createSchema: !catalog.state.schemas.has(schema),
        };
        const out = act === 'create' ? createTableTemplate(input) : blankTemplate(input);
        const upPath = path.join(dir, name);
        const downPath = path.join(dir, `${seqText}_down.sql`);
        writeFileSync(upPath, out.up);
        writeFileSync(downPath, out.down);
        // The other files' texts are already read: only the two new ones are.
        await rewriteSum(config, new Map(set.files.map((f) => [f.path, f.text])));
        // Numbers are per schema range, so a new kernel file can land below finance ones; a database
        // that applied those refuses it as out of order. Said now, not at deploy time.
        const newest = set.ups.at(-1);
        if (newest?.seq !== undefined && newest.seq > seq)
          notice(`aibos: ${name} is numbered below ${newest.name}: a database that already applied ${newest.seq} will refuse it as out of order (aibos migrate up --allow-out-of-order applies it there, after review).`);
        process.stdout.write(`${toRelPath(upPath)}\n${toRelPath(downPath)}\n`);
        return 0;
      }),
    );
}
