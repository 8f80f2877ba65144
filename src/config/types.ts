export type Level = 'off' | 'shadow' | 'warn' | 'block';
export type RuleSetting = Level | [Level] | [Level, Record<string, unknown>];
export type GuardrailMode = 'auto' | 'approval' | 'review' | 'shadow+approval' | 'block';
export type ChangeClass =
  | 'create-table'
  | 'add-column'
  | 'add-index'
  | 'drop-column'
  | 'drop-table'
  | 'alter-column-type'
  | 'add-constraint'
  | 'rename'
  | 'rls-policy'
  | 'function'
  | 'data-change'
  | 'other';

export interface SchemaSettings {
  range: [number, number];
  softDelete?: boolean;
}

export interface EnvironmentSettings {
  url?: string;
  rules?: Record<string, RuleSetting>;
  guardrails?: Partial<Record<ChangeClass, GuardrailMode>>;
  approverRole?: string;
  ssl?: boolean | 'require' | 'allow' | 'prefer' | 'verify-full';
}

/** The config file's shape (every key optional). `schema/aibosrc.schema.json` is its source of truth. */
export interface AibosConfigFile {
  migrationsDir?: string;
  schemas?: Record<string, SchemaSettings>;
  tenancy?: { column?: string; tenantsTable?: string; globalTables?: string[] };
  rules?: Record<string, RuleSetting>;
  environments?: Record<string, EnvironmentSettings>;
  defaultEnv?: string;
  history?: { schema?: string; table?: string; eventsTable?: string; approvalsTable?: string };
  lockWait?: number;
  lockTimeout?: number | string;
  statementTimeout?: number | string;
  plugins?: string[];
}

/** The config after defaults are merged in. */
export interface AibosConfig {
  migrationsDir: string;
  schemas: Record<string, SchemaSettings>;
  tenancy: { column: string; tenantsTable: string; globalTables: string[] };
  rules: Record<string, RuleSetting>;
  environments: Record<string, EnvironmentSettings>;
  defaultEnv: string;
  history: { schema: string; table: string; eventsTable: string; approvalsTable: string };
  lockWait: number;
  lockTimeout?: number | string;
  statementTimeout?: number | string;
  plugins: string[];
}

export interface ResolvedConfig extends AibosConfig {
  /** Absolute path of the config file, when one was found. */
  filepath?: string;
  /** Directory paths in the config are relative to: the config file's folder, or the working directory. */
  rootDir: string;
  /** Absolute path of `migrationsDir`. */
  migrationsPath: string;
}
