import { describe, expect, it } from 'vitest';
import { checksumOf } from '../../src/migrations/files.js';
import { renderSum } from '../../src/migrations/sum.js';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('migration-checksum');

const accounts = { name: '101_finance_create_accounts.sql', text: 'CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY);\n' };
const checksumFindings = async (files: { name: string; text: string }[], sum: string | null | undefined) =>
  (await lintFiles(files, {}, undefined, sum)).filter((d) => d.ruleId === 'migration-checksum');

describe('migration-checksum on the migrations folder', () => {
  it('reports a missing aibos.sum on the sum file itself', async () => {
    expect(await checksumFindings([accounts], null)).toMatchObject([{ file: 'migrations/aibos.sum', line: 1, message: 'migrations/aibos.sum is missing' }]);
  });

  it('reports a listed file that no longer exists', async () => {
    const sum = renderSum([{ name: accounts.name, checksum: checksumOf(accounts.text) }, { name: '102_finance_create_gone.sql', checksum: 'a'.repeat(64) }]);
    expect(await checksumFindings([accounts], sum)).toMatchObject([{ file: 'migrations/aibos.sum', message: 'aibos.sum lists 102_finance_create_gone.sql, which is not in migrations — restore it, or run `aibos sum` if it was never applied' }]);
  });

  it('reports a hand-edited sum whose header no longer hashes the list', async () => {
    const sum = renderSum([{ name: accounts.name, checksum: checksumOf(accounts.text) }]).replace(/^h1:./, 'h1:0');
    expect(await checksumFindings([accounts], sum)).toMatchObject([{ file: 'migrations/aibos.sum', message: 'migrations/aibos.sum was edited by hand (its first line does not hash the list) — run `aibos sum`' }]);
  });

  it('is silent when the run does not cover the whole folder', async () => {
    expect(await checksumFindings([accounts], undefined)).toEqual([]);
  });
});

describe('migration-checksum with --base', () => {
  const lintAgainstBase = async (files: { name: string; text: string }[], base: Map<string, { checksum: string; name: string }>) =>
    (await lintFiles(files, {}, undefined, undefined, { ref: 'main', files: base })).filter((d) => d.ruleId === 'migration-checksum');
  const atBase = new Map([['migrations/101_finance_create_accounts.sql', { checksum: checksumOf(accounts.text), name: accounts.name }]]);

  it('is silent for new files added next to unchanged ones', async () => {
    expect(await lintAgainstBase([accounts, { name: '102_finance_create_b.sql', text: 'SELECT 1;\n' }], atBase)).toEqual([]);
  });

  it('flags an edited, a renamed and a deleted migration', async () => {
    const edited = await lintAgainstBase([{ ...accounts, text: accounts.text.replace('PRIMARY KEY', 'PRIMARY KEY, name text') }], atBase);
    expect(edited).toMatchObject([{ file: 'migrations/101_finance_create_accounts.sql', line: 1 }]);
    expect(edited[0]!.message).toMatch(/^101_finance_create_accounts\.sql existed at main and was edited/);

    const renamed = await lintAgainstBase([{ name: '105_finance_create_accounts.sql', text: accounts.text }], atBase);
    expect(renamed.map((d) => d.message)).toEqual(['105_finance_create_accounts.sql is 101_finance_create_accounts.sql renamed since main']);

    const deleted = await lintAgainstBase([{ name: '102_finance_create_b.sql', text: 'SELECT 1;\n' }], atBase);
    expect(deleted.map((d) => d.message)).toEqual(['migrations/101_finance_create_accounts.sql existed at main and was deleted']);
  });
});
