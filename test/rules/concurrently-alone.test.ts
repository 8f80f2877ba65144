import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('concurrently-alone');

it('concurrently-alone says what runs concurrently and to move it to its own file', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "SELECT 1;\nCREATE INDEX CONCURRENTLY i ON finance.accounts (code);\n" }])).filter((x) => x.ruleId === 'concurrently-alone');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.line).toBe(2);
  expect(d.message).toContain('CREATE INDEX CONCURRENTLY');
  expect(d.help).toContain('its own migration file');
});
