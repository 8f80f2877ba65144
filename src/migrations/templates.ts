/**
 * Templates for `aibos new` and `aibos init`: every generated up/down pair
 * passes the built-in rules as written.
 */
export interface TemplateInput {
  seq: string;
  schema: string;
  action: string;
  entity: string;
  author: string;
  tenantColumn: string;
  tenantsTable: string;
  softDelete: boolean;
  /** Emit CREATE SCHEMA (the schema does not exist yet in the history). */
  createSchema: boolean;
}

export interface TemplateOutput {
  up: string;
  down: string;
}

function header(input: TemplateInput, reason: string): string {
  return `-- author: ${input.author}\n-- reason: ${reason}\n`;
}

export function createTableTemplate(input: TemplateInput): TemplateOutput {
  const { schema, entity, tenantColumn: tenant } = input;
  const table = `${schema}.${entity}`;
  const short = entity.length > 40 ? entity.slice(0, 40) : entity;
  const lines = [
    header(input, `create ${table} (describe why this table is needed)`),
    input.createSchema ? `CREATE SCHEMA IF NOT EXISTS ${schema};\n` : '',
    `CREATE TABLE IF NOT EXISTS ${table} (`,
    `  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),`,
    `  ${tenant} uuid NOT NULL REFERENCES ${input.tenantsTable} (id),`,
    `  name text NOT NULL,`,
    `  created_at timestamptz NOT NULL DEFAULT now(),`,
    `  updated_at timestamptz NOT NULL DEFAULT now()${input.softDelete ? ',' : ''}`,
    ...(input.softDelete ? [`  deleted_at timestamptz`] : []),
    `);`,
    ``,
    `CREATE INDEX IF NOT EXISTS ${short}_${tenant}_idx ON ${table} (${tenant});`,
    ``,
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;`,
    `DROP POLICY IF EXISTS ${short}_tenant_isolation ON ${table};`,
    `CREATE POLICY ${short}_tenant_isolation ON ${table}`,
    `  USING (${tenant} = current_setting('app.tenant_id', true)::uuid)`,
    `  WITH CHECK (${tenant} = current_setting('app.tenant_id', true)::uuid);`,
    ``,
  ];
  const down = [`DROP TABLE IF EXISTS ${table};`, ...(input.createSchema ? [`DROP SCHEMA IF EXISTS ${schema};`] : []), ''];
  return { up: lines.filter((l, i) => l !== '' || i > 1).join('\n'), down: down.join('\n') };
}

export function blankTemplate(input: TemplateInput): TemplateOutput {
  const what = `${input.action} ${input.schema}.${input.entity}`;
  return {
    up: `${header(input, `${what} (describe why)`)}\n-- Write the ${input.schema} change here; keep every name schema-qualified (${input.schema}.…).\n`,
    down: `-- Undo ${input.seq}_${input.schema}_${input.action}_${input.entity}.sql here, newest change first.\n`,
  };
}

/** The kernel's tenants table, written by `aibos init` so tenant foreign keys have a target. */
export function tenantsTemplate(author: string): TemplateOutput {
  return {
    up: [
      `-- author: ${author}`,
      `-- reason: every tenant table references kernel.tenants; it is global by nature (listed in tenancy.globalTables)`,
      ``,
      `CREATE SCHEMA IF NOT EXISTS kernel;`,
      ``,
      `CREATE TABLE IF NOT EXISTS kernel.tenants (`,
      `  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),`,
      `  slug text NOT NULL UNIQUE,`,
      `  name text NOT NULL,`,
      `  created_at timestamptz NOT NULL DEFAULT now(),`,
      `  updated_at timestamptz NOT NULL DEFAULT now()`,
      `);`,
      ``,
    ].join('\n'),
    down: `DROP TABLE IF EXISTS kernel.tenants;\nDROP SCHEMA IF EXISTS kernel;\n`,
  };
}
