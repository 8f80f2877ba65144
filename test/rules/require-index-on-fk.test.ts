import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-index-on-fk');

describe('require-index-on-fk messages', () => {
  it('names the column and gives the CREATE INDEX to write', async () => {
    const text = 'CREATE TABLE IF NOT EXISTS finance.transfers (\n  id uuid PRIMARY KEY,\n  account_id uuid NOT NULL REFERENCES finance.accounts (id)\n);\n';
    const [finding] = (await lintFiles([{ name: '101_finance_create_transfers.sql', text }])).filter((d) => d.ruleId === 'require-index-on-fk');
    expect(finding).toMatchObject({ line: 3, message: 'finance.transfers.account_id has a foreign key but no index leading with it' });
    expect(finding!.help).toContain('`CREATE INDEX IF NOT EXISTS transfers_account_id_idx ON finance.transfers (account_id);` in the migration that creates finance.transfers');
  });

  it('asks for CONCURRENTLY in a file of its own for a key added later, and never on a partitioned table', async () => {
    const findings = (
      await lintFiles([
        { name: '101_finance_create_transfers.sql', text: 'CREATE TABLE IF NOT EXISTS finance.transfers (id uuid PRIMARY KEY, account_id uuid);\nCREATE TABLE IF NOT EXISTS finance.events (id uuid, at date, account_id uuid REFERENCES finance.accounts (id)) PARTITION BY RANGE (at);\n' },
        { name: '102_finance_alter_transfers.sql', text: 'ALTER TABLE finance.transfers ADD CONSTRAINT transfers_account_fkey FOREIGN KEY (account_id) REFERENCES finance.accounts (id) NOT VALID;\n' },
      ])
    ).filter((d) => d.ruleId === 'require-index-on-fk');
    expect(findings.map((d) => d.help!.split(';`')[0])).toEqual([
      '`CREATE INDEX IF NOT EXISTS events_account_id_idx ON finance.events (account_id)',
      '`CREATE INDEX CONCURRENTLY IF NOT EXISTS transfers_account_id_idx ON finance.transfers (account_id)',
    ]);
    expect(findings[0]!.help).toContain('a partitioned table cannot be indexed CONCURRENTLY');
    expect(findings[1]!.help).toContain('its own migration file');
  });
});
