import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('prefer-timestamptz');

it('prefer-timestamptz points at the type and names the column', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "CREATE TABLE finance.t (id uuid, posted_at timestamp);\n" }])).filter((x) => x.ruleId === 'prefer-timestamptz');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.column).toBe(44);
  expect(d.message).toContain('finance.t.posted_at');
  expect(d.help).toContain('posted_at timestamptz');
});
