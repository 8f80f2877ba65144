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

it('a quoted name counts `""` as one byte, and a bare one is compared lower-cased', async () => {
  // 30 + `""` + 35 = 67 bytes as written inside the quotes, 66 as Postgres reads them.
  const quoted = `${'a'.repeat(30)}""${'b'.repeat(35)}`;
  const bare = `Tbl_${'X'.repeat(62)}`;
  const text = `CREATE TABLE finance.t (id bigint, "${quoted}" text);\nCREATE TABLE finance.${bare} (id bigint);\n`;
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text }])).filter((x) => x.ruleId === 'identifier-too-long');
  expect(diagnostics.map((d) => [d.line, d.column, d.endColumn])).toEqual([
    [1, 36, 36 + quoted.length + 2],
    [2, 22, 22 + bare.length],
  ]);
  expect(diagnostics[0]!.message).toBe(`column name ${'a'.repeat(30)}"${'b'.repeat(35)} is 66 bytes; Postgres silently truncates it to 63 bytes: ${'a'.repeat(30)}"${'b'.repeat(32)}`);
  expect(diagnostics[1]!.message).toBe(`table name ${bare.toLowerCase()} is 66 bytes; Postgres silently truncates it to 63 bytes: ${bare.toLowerCase().slice(0, 63)}`);
});

it('a finding on a name the parser gives without a position finds it quoted or in any case', async () => {
  const text = 'ALTER TABLE finance.t DROP COLUMN "Odd""Name", DROP COLUMN Plain;\n';
  const diagnostics = (await lintFiles([{ name: '101_finance_alter_t.sql', text }])).filter((x) => x.ruleId === 'require-idempotent');
  expect(diagnostics.map((d) => [d.message, d.column])).toEqual([
    ['DROP COLUMN Odd"Name from finance.t fails when re-run', 35],
    ['DROP COLUMN plain from finance.t fails when re-run', 60],
  ]);
});
