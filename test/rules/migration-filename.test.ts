import { describe, expect, it } from 'vitest';
import { suggestMigrationName } from '../../src/migrations/files.js';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('migration-filename');

describe('migration-filename help', () => {
  const schemas = ['kernel', 'finance'];

  it('names the rename that fixes a name a mechanical change puts in the grammar', () => {
    expect(suggestMigrationName('101_finance_create_accounts.SQL', schemas)).toBe('101_finance_create_accounts.sql');
    expect(suggestMigrationName('101_Finance_CreateAccounts.sql', schemas)).toBe('101_finance_create_accounts.sql');
    expect(suggestMigrationName('101-finance-create-accounts.sql', schemas)).toBe('101_finance_create_accounts.sql');
    expect(suggestMigrationName('7_finance_create_accounts.sql', schemas)).toBe('007_finance_create_accounts.sql');
    expect(suggestMigrationName('101_finance_create_accounts.up.sql', schemas)).toBe('101_finance_create_accounts.sql');
    expect(suggestMigrationName('101-Down.SQL', schemas)).toBe('101_down.sql');
    expect(suggestMigrationName('101_finance_create_accounts-down.sql', schemas)).toBe('101_finance_create_accounts.down.sql');
  });

  it('suggests nothing when the name lacks what only a person can add', () => {
    expect(suggestMigrationName('101_accounts.sql', schemas)).toBeUndefined();
    expect(suggestMigrationName('init.sql', schemas)).toBeUndefined();
    expect(suggestMigrationName('101_finance_create_accounts.sql', schemas)).toBeUndefined();
    // Four words, but the second is no configured schema: golang-migrate's 0001_create_table_users.up.sql.
    expect(suggestMigrationName('0001_create_table_users.up.sql', schemas)).toBeUndefined();
  });

  it('puts the rename in the finding, and the grammar alone when there is none', async () => {
    const findings = (
      await lintFiles([
        { name: '101_finance_create_accounts.SQL', text: 'SELECT 1;\n' },
        { name: '102_accounts.sql', text: 'SELECT 1;\n' },
      ])
    ).filter((d) => d.ruleId === 'migration-filename');
    expect(findings.map((d) => [d.file.split('/').pop(), d.help])).toEqual([
      [
        '101_finance_create_accounts.SQL',
        'rename it to 101_finance_create_accounts.sql (git mv, then aibos sum); the grammar: an up file {seq}_{schema}_{action}_{entity}.sql with a 3+ digit sequence and lower snake_case, e.g. 101_finance_create_accounts.sql',
      ],
      ['102_accounts.sql', 'name an up file {seq}_{schema}_{action}_{entity}.sql with a 3+ digit sequence and lower snake_case, e.g. 101_finance_create_accounts.sql'],
    ]);
  });
});
