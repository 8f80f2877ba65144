import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('identifier-too-long');

it('identifier-too-long gives the byte length and the truncated name, positioned after multi-byte text', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "-- é 🎉\nCREATE TABLE finance.t (x int, \"éééééééééééééééééééééééééééééééééééééééé\" text);\n" }])).filter((x) => x.ruleId === 'identifier-too-long');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.line).toBe(2);
  expect(d.column).toBe(32);
  expect(d.message).toContain('is 80 bytes');
  expect(d.message).toContain(': ' + 'é'.repeat(31));
  expect(d.help).toContain('63 bytes');
});
