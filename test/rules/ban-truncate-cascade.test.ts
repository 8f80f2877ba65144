import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('ban-truncate-cascade');

it('ban-truncate-cascade names the table and asks for an explicit list', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "TRUNCATE finance.accounts CASCADE;\n" }])).filter((x) => x.ruleId === 'ban-truncate-cascade');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('finance.accounts');
  expect(d.help).toContain('TRUNCATE finance.accounts, <referencing tables>');
});
