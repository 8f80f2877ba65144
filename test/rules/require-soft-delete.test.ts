import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-soft-delete');

describe('require-soft-delete messages', () => {
  it('names the table and suggests an UPDATE for a DELETE', async () => {
    const found = (await lintFiles([{ name: '101_finance_change_x.sql', text: 'DELETE FROM finance.accounts WHERE closed;\n' }])).filter((d) => d.ruleId === 'require-soft-delete');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('finance.accounts');
    expect(found[0]!.help).toContain('UPDATE finance.accounts SET deleted_at = now()');
  });
});

describe('require-soft-delete acknowledgement', () => {
  it('an aibos-ack above an append-only table marks the finding acknowledged', async () => {
    const text = '-- aibos-ack require-soft-delete: append-only ledger, corrected by reversing entries\nCREATE TABLE IF NOT EXISTS finance.journal_entries (id uuid PRIMARY KEY);\n';
    const found = (await lintFiles([{ name: '104_finance_create_journal_entries.sql', text }])).filter((d) => d.ruleId === 'require-soft-delete' || d.ruleId === 'invalid-ack');
    expect(found).toMatchObject([{ ruleId: 'require-soft-delete', line: 2, acknowledged: true, ackReason: 'append-only ledger, corrected by reversing entries' }]);
  });
});
