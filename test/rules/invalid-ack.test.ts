import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('invalid-ack');

describe('invalid-ack messages', () => {
  const lint = async (text: string) => (await lintFiles([{ name: '101_finance_create_a.sql', text }])).filter((d) => d.ruleId === 'invalid-ack');

  it('an ack without a reason is invalid and acknowledges nothing', async () => {
    const text = '-- author: a\n-- reason: b\n-- aibos-ack require-idempotent\nCREATE TABLE finance.a (id uuid);\n';
    const all = await lintFiles([{ name: '101_finance_create_a.sql', text }]);
    expect(all.filter((d) => d.ruleId === 'invalid-ack')).toMatchObject([{ line: 3, level: 'block', message: 'aibos-ack require-idempotent has no reason' }]);
    expect(all.find((d) => d.ruleId === 'require-idempotent')?.acknowledged).toBe(false);
  });

  it('names the unknown rule and suggests the close one', async () => {
    const [finding] = await lint('-- aibos-ack require-idempotnt: typo\nCREATE TABLE finance.a (id uuid);\n');
    expect(finding?.message).toContain('"require-idempotnt"');
  });

  it('refuses to acknowledge a block-level finding', async () => {
    const [finding] = await lint('-- aibos-ack require-tenant-id: not allowed\nCREATE TABLE IF NOT EXISTS finance.b (id uuid);\n');
    expect(finding).toMatchObject({ line: 1, message: 'aibos-ack cannot acknowledge require-tenant-id: it is a block-level finding' });
  });
});
