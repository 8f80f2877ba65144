import type { AibosConfig, ChangeClass, GuardrailMode } from './types.js';

export const DEFAULT_CONFIG: AibosConfig = {
  migrationsDir: 'migrations',
  schemas: {
    kernel: { range: [1, 99] },
    finance: { range: [100, 199], softDelete: true },
    config: { range: [200, 299] },
  },
  tenancy: { column: 'tenant_id', tenantsTable: 'kernel.tenants', globalTables: ['kernel.tenants'] },
  rules: {},
  environments: {},
  defaultEnv: 'dev',
  history: { schema: 'aibos', table: 'schema_migrations', eventsTable: 'migration_events', approvalsTable: 'migration_approvals' },
  lockWait: 60,
  plugins: [],
};

/**
 * The standard's guardrails (§9.3), so `dev` and `prod` exist without an `environments` entry.
 * Classes it does not name are `auto`.
 */
export const STANDARD_GUARDRAILS: Readonly<Record<string, Partial<Record<ChangeClass, GuardrailMode>>>> = {
  dev: { 'add-column': 'auto', 'add-index': 'auto', 'drop-column': 'block', 'alter-column-type': 'approval' },
  prod: { 'add-column': 'approval', 'add-index': 'shadow+approval', 'drop-column': 'block', 'alter-column-type': 'review' },
};
