import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-migration-header');

describe('require-migration-header message', () => {
  it('names the missing lines', async () => {
    const [finding] = (await lintFiles([{ name: '101_finance_create_a.sql', text: 'SELECT 1;\n' }])).filter((d) => d.ruleId === 'require-migration-header');
    expect(finding?.message).toBe('101_finance_create_a.sql has no `-- author:` or `-- reason:` line in its header');
  });
});
