import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-index-on-fk');

describe('require-index-on-fk messages', () => {
  it('names the column and gives the CREATE INDEX to write', async () => {
    const text = 'CREATE TABLE IF NOT EXISTS finance.transfers (\n  id uuid PRIMARY KEY,\n  account_id uuid NOT NULL REFERENCES finance.accounts (id)\n);\n';
    const [finding] = (await lintFiles([{ name: '101_finance_create_transfers.sql', text }])).filter((d) => d.ruleId === 'require-index-on-fk');
    expect(finding).toMatchObject({ line: 3, message: 'finance.transfers.account_id has a foreign key but no index leading with it' });
    expect(finding!.help).toContain('CREATE INDEX CONCURRENTLY IF NOT EXISTS transfers_account_id_idx ON finance.transfers (account_id);');
  });
});
