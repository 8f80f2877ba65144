import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-fk-on-id');

describe('require-fk-on-id reporting', () => {
  it('reports at the column definition in the file that created it, checked at the end of history', async () => {
    const found = (
      await lintFiles([
        { name: '101_finance_create_transfers.sql', text: 'CREATE TABLE IF NOT EXISTS finance.transfers (\n  id uuid PRIMARY KEY,\n  account_id uuid NOT NULL\n);\n' },
        { name: '102_finance_alter_transfers.sql', text: 'ALTER TABLE finance.transfers ADD COLUMN IF NOT EXISTS batch_id uuid;\n' },
      ])
    ).filter((d) => d.ruleId === 'require-fk-on-id');
    expect(found.map((d) => [d.file, d.line, d.column, d.message])).toEqual([
      ['migrations/101_finance_create_transfers.sql', 3, 3, 'finance.transfers.account_id has no foreign key'],
      ['migrations/102_finance_alter_transfers.sql', 1, 56, 'finance.transfers.batch_id has no foreign key'],
    ]);
  });
});
