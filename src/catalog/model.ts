import type { AstNode } from '../sql/parse.js';

/** Where an object was defined: the file (its relative path) and the byte offset of its definition. */
export interface Origin {
  file: string;
  offset: number;
}

export interface CatalogColumn {
  name: string;
  /** Last element of the type name, lower case: `int4`, `uuid`, `timestamptz`, `numeric`, `serial`. */
  type: string;
  typmods: number[];
  isArray: boolean;
  notNull: boolean;
  /** The default expression's AST, when there is one. */
  default?: AstNode;
  generated: boolean;
  identity: boolean;
  origin: Origin;
}

export interface CatalogForeignKey {
  name?: string;
  columns: string[];
  /** `schema.table` of the referenced table. */
  refTable: string;
  refColumns: string[];
  notValid: boolean;
  origin: Origin;
}

export interface CatalogConstraint {
  name?: string;
  kind: 'primary' | 'unique' | 'check' | 'exclusion';
  columns: string[];
  notValid: boolean;
  origin: Origin;
}

export interface CatalogPolicy {
  name: string;
  command: string;
  permissive: boolean;
  using?: AstNode;
  withCheck?: AstNode;
  origin: Origin;
}

export interface CatalogIndex {
  schema: string;
  name: string;
  table: string;
  /** Column names in index order; `null` for an expression. */
  columns: (string | null)[];
  unique: boolean;
  partial: boolean;
  origin: Origin;
}

export type TablePersistence = 'permanent' | 'unlogged' | 'temp';

export interface CatalogTable {
  schema: string;
  name: string;
  /** `schema.name` */
  key: string;
  persistence: TablePersistence;
  partitioned: boolean;
  /** Key of the parent for `PARTITION OF`. */
  partitionOf?: string;
  /** Keys of the tables it inherits from (`INHERITS (parent)`), when it does. */
  inherits?: string[];
  /** Created by CREATE TABLE AS / SELECT INTO. */
  fromQuery: boolean;
  columns: Map<string, CatalogColumn>;
  primaryKey?: CatalogConstraint;
  foreignKeys: CatalogForeignKey[];
  constraints: CatalogConstraint[];
  rlsEnabled: boolean;
  rlsForced: boolean;
  policies: CatalogPolicy[];
  origin: Origin;
}

export interface CatalogState {
  schemas: Set<string>;
  tables: Map<string, CatalogTable>;
  /** By `schema.name`. Change it through Catalog's index methods, which keep the two maps below in step. */
  indexes: Map<string, CatalogIndex>;
  /** Table key -> keys of its indexes. */
  indexesByTable: Map<string, Set<string>>;
  /** Index name (without schema) -> keys of the indexes with that name. */
  indexesByName: Map<string, Set<string>>;
  /** Table name (without schema) -> keys of the tables with that name. */
  tablesByName: Map<string, Set<string>>;
  views: Set<string>;
  sequences: Set<string>;
  functions: Set<string>;
}

export function emptyState(): CatalogState {
  return {
    schemas: new Set(['public']),
    tables: new Map(),
    indexes: new Map(),
    indexesByTable: new Map(),
    indexesByName: new Map(),
    tablesByName: new Map(),
    views: new Set(),
    sequences: new Set(),
    functions: new Set(),
  };
}


/**
 * A table a fork may change without touching the original: every container
 * and record is new; AST nodes (defaults, policy expressions) and origins are
 * shared, as nothing changes them. Several times faster than structuredClone,
 * which the corpus lint called for every table a down file altered.
 */
export function copyTable(table: CatalogTable): CatalogTable {
  const columns = new Map<string, CatalogColumn>();
  for (const [name, column] of table.columns) columns.set(name, { ...column, typmods: [...column.typmods] });
  return {
    ...table,
    columns,
    primaryKey: table.primaryKey && { ...table.primaryKey, columns: [...table.primaryKey.columns] },
    foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, columns: [...fk.columns], refColumns: [...fk.refColumns] })),
    constraints: table.constraints.map((c) => ({ ...c, columns: [...c.columns] })),
    policies: table.policies.map((p) => ({ ...p })),
  };
}
