import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('security-definer-search-path');

it('security-definer-search-path names the function and gives the SET clause', async () => {
  const diagnostics = (await lintFiles([{ name: '101_finance_create_fixture.sql', text: "CREATE FUNCTION finance.f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'select 1';\n" }])).filter((x) => x.ruleId === 'security-definer-search-path');
  expect(diagnostics).toHaveLength(1);
  const d = diagnostics[0]!;
  expect(d.message).toContain('finance.f');
  expect(d.help).toContain('SET search_path = pg_catalog, pg_temp');
});
