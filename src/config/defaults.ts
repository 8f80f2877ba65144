import type { AibosConfig } from './types.js';

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
