import { describe, expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-down-file');

describe('require-down-file levels', () => {
  const lone = [{ name: '101_finance_create_accounts.sql', text: 'SELECT 1;\n' }];

  it('warns by default and names the down file to add', async () => {
    const [finding] = (await lintFiles(lone)).filter((d) => d.ruleId === 'require-down-file');
    expect(finding).toMatchObject({ level: 'warn', line: 1, message: '101_finance_create_accounts.sql has no down file' });
    expect(finding!.help).toContain('101_down.sql');
  });

  it('blocks with --env prod', async () => {
    const [finding] = (await lintFiles(lone, {}, 'prod')).filter((d) => d.ruleId === 'require-down-file');
    expect(finding?.level).toBe('block');
  });
});
