import { expect, it } from 'vitest';
import { describeFixtures, lintFiles } from './harness.js';

describeFixtures('require-schema-qualified');

it('require-schema-qualified suggests the schema the history has the table in, and quotes what needs quotes', async () => {
  const diagnostics = (
    await lintFiles([
      { name: '001_kernel_create_tenants.sql', text: 'CREATE TABLE IF NOT EXISTS kernel.tenants (id uuid PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS kernel.notes (id uuid PRIMARY KEY);\n' },
      { name: '101_finance_create_notes.sql', text: 'CREATE TABLE IF NOT EXISTS finance.notes (id uuid PRIMARY KEY);\n' },
      {
        name: '102_finance_create_accounts.sql',
        text: 'CREATE TABLE IF NOT EXISTS "Accounts" (id uuid PRIMARY KEY, tenant_id uuid REFERENCES tenants (id));\nCREATE INDEX IF NOT EXISTS notes_id_idx ON notes (id);\n',
      },
    ])
  ).filter((d) => d.ruleId === 'require-schema-qualified');
  expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.help!.split(':')[0]}`)).toEqual([
    '1:28 write finance."Accounts"',
    '1:87 write kernel.tenants',
    '2:44 write one of kernel.notes, finance.notes',
  ]);
});
