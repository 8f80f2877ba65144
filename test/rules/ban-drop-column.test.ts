import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('ban-drop-column');

it('findings on a name the parser gives no position for point at that name in the source', async () => {
  const create = 'CREATE TABLE IF NOT EXISTS finance.accounts (id uuid PRIMARY KEY, code text, "Legacy" text, balance integer);\n';
  const alter = 'ALTER TABLE finance.accounts\n  ADD COLUMN IF NOT EXISTS note text,\n  DROP COLUMN "Legacy",\n  ALTER COLUMN balance TYPE bigint;\nDROP TABLE IF EXISTS accounts_old;\n';
  const diagnostics = await lintFiles([
    { name: '101_finance_create_accounts.sql', text: create },
    { name: '102_finance_alter_accounts.sql', text: alter },
  ]);
  const at = (ruleId: string) => diagnostics.filter((d) => d.ruleId === ruleId && d.file.endsWith('102_finance_alter_accounts.sql')).map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);
  expect(at('ban-drop-column')).toEqual(['3:15-3:23']);
  expect(at('require-idempotent')).toEqual(['3:15-3:23']);
  expect(at('review-alter-column-type')).toEqual(['4:16-4:23']);
  expect(at('require-schema-qualified')).toEqual(['5:22-5:34']);
});
