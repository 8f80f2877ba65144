/**
 * `aibos approve`'s shadow test, in process (the CLI tests in approvals.test.ts
 * run the built binary): each file is applied as verify applies it, so a file
 * Postgres refuses inside BEGIN runs without one, and a failure names its file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMigrationFiles, type MigrationFile } from '../../src/migrations/files.js';
import { shadowTest } from '../../src/runner/approvals.js';
import { initParser } from '../../src/sql/parse.js';

beforeAll(() => initParser());

function files(texts: Record<string, string>): MigrationFile[] {
  const map = new Map(Object.entries(texts).map(([name, text]) => [`/p/migrations/${name}`, text]));
  return loadMigrationFiles([...map.keys()], ['app'], '/p', map).files.filter((f) => f.role === 'up');
}

const [accounts, index, vacuum] = files({
  '001_app_create_accounts.sql': 'CREATE SCHEMA app;\nCREATE TABLE app.accounts (id int PRIMARY KEY, name text);\n',
  '002_app_index_accounts_name.sql': 'CREATE INDEX CONCURRENTLY accounts_name_idx ON app.accounts (name);\n',
  // REINDEX (CONCURRENTLY) and VACUUM cannot run in a transaction block either (runner/mode.ts).
  '003_app_vacuum_accounts.sql': 'REINDEX (CONCURRENTLY) INDEX app.accounts_name_idx;\nVACUUM app.accounts;\n',
}) as [MigrationFile, MigrationFile, MigrationFile];

describe('shadowTest', () => {
  it('applies every earlier migration, then the target, outside a transaction when the file needs that', async () => {
    expect(await shadowTest([accounts, index], vacuum)).toEqual({ ok: true });
  }, 60_000);

  it('names the target when it does not apply, with the server message and SQLSTATE', async () => {
    const [bad] = files({ '004_app_index_accounts_nmae.sql': 'CREATE INDEX CONCURRENTLY accounts_nmae_idx ON app.accounts (nmae);\n' });
    const outcome = await shadowTest([accounts], bad!);
    expect(outcome).toMatchObject({ ok: false, failedFile: '004_app_index_accounts_nmae.sql' });
    expect(outcome.error).toContain('nmae');
    expect(outcome.error).toContain('(SQLSTATE 42703)');
  }, 60_000);

  it('names an earlier migration that fails: the shadow could not be built', async () => {
    const outcome = await shadowTest([index, accounts], vacuum);
    expect(outcome).toMatchObject({ ok: false, failedFile: '002_app_index_accounts_name.sql' });
    expect(outcome.error).toContain('(SQLSTATE 3F000)');
  }, 60_000);
});
