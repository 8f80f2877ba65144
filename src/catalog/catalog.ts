import type { AstNode, Statement } from '../sql/parse.js';
import {
  copyTable,
  emptyState,
  type CatalogColumn,
  type CatalogConstraint,
  type CatalogIndex,
  type CatalogState,
  type CatalogTable,
  type Origin,
} from './model.js';
import { OverlayMap, OverlaySet } from './overlay.js';

/** Postgres' TableLikeOption bits that change what the catalog holds (`INCLUDING ALL` sets them all). */
const LIKE_CONSTRAINTS = 1 << 2;
const LIKE_DEFAULTS = 1 << 3;
const LIKE_GENERATED = 1 << 4;
const LIKE_IDENTITY = 1 << 5;
const LIKE_INDEXES = 1 << 6;

/** Names in the AST come as `{ String: { sval } }` lists. */
export function names(list: AstNode[] | undefined): string[] {
  const out: string[] = [];
  if (!list) return out;
  for (const n of list) {
    const name = n?.String?.sval ?? (n?.A_Star ? '*' : '');
    if (name !== '') out.push(name);
  }
  return out;
}

export interface RangeVarLike {
  schemaname?: string;
  relname?: string;
  relpersistence?: string;
}

/** The serial pseudo-types: an integer column with NOT NULL and a nextval() default. */
export const SERIAL_TYPES: ReadonlySet<string> = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

export function typeOf(typeName: AstNode): { type: string; typmods: number[]; isArray: boolean } {
  const parts = names(typeName?.names);
  const type = (parts[parts.length - 1] ?? 'unknown').toLowerCase();
  const typmods = (typeName?.typmods ?? []).map((m: AstNode) => m?.A_Const?.ival?.ival ?? 0);
  return { type, typmods, isArray: Array.isArray(typeName?.arrayBounds) && typeName.arrayBounds.length > 0 };
}

/**
 * The schema model: replays DDL in order. The only code that interprets
 * statements into tables, columns, keys, indexes and RLS state.
 */
export class Catalog {
  state: CatalogState;

  constructor(state: CatalogState = emptyState()) {
    this.state = state;
  }

  /** Keys of the tables created, changed or dropped since it was last reset (the engine resets it per file). */
  touched = new Set<string>();

  /** The state of the catalog this one was forked from: its tables and indexes are copied before their first change. */
  private parent?: CatalogState;

  /** How many TEMP tables exist: while there are none, an unqualified name never needs the pg_temp lookup. */
  private temps = 0;

  private setTable(key: string, table: CatalogTable): void {
    if (!this.state.tables.has(key)) {
      if (key.startsWith('pg_temp.')) this.temps++;
      this.ownKeySet(this.state.tablesByName, this.parent?.tablesByName, splitKey(key)[1]).add(key);
    }
    this.state.tables.set(key, table);
  }

  private deleteTable(key: string): boolean {
    const deleted = this.state.tables.delete(key);
    if (deleted) {
      if (key.startsWith('pg_temp.')) this.temps--;
      this.dropKey(this.state.tablesByName, this.parent?.tablesByName, splitKey(key)[1], key);
    }
    return deleted;
  }

  /** Keys of the tables called `name` (as Postgres stores it, no schema), in any schema. */
  tablesNamed(name: string): readonly string[] {
    const keys = this.state.tablesByName.get(name);
    return keys ? [...keys] : [];
  }

  /**
   * A cheap copy-on-write fork (down files are linted on forks): the table and
   * index maps are overlays on the parent's, and a table or index is copied
   * only when the fork changes it. The parent must not change while the fork is used.
   */
  fork(): Catalog {
    const s = this.state;
    const fork = new Catalog({
      schemas: new OverlaySet(s.schemas),
      tables: new OverlayMap(s.tables),
      indexes: new OverlayMap(s.indexes),
      indexesByTable: new OverlayMap(s.indexesByTable),
      indexesByName: new OverlayMap(s.indexesByName),
      tablesByName: new OverlayMap(s.tablesByName),
      views: new OverlaySet(s.views),
      sequences: new OverlaySet(s.sequences),
      functions: new OverlaySet(s.functions),
    });
    fork.parent = s;
    fork.temps = this.temps;
    return fork;
  }

  /** The table, safe to change (copied first when shared with a parent catalog). */
  mutable(ref: RangeVarLike | string): CatalogTable | undefined {
    const table = this.table(ref);
    if (table) this.touched.add(table.key);
    if (!table || this.parent?.tables.get(table.key) !== table) return table;
    const copy = copyTable(table);
    this.state.tables.set(copy.key, copy);
    return copy;
  }

  mutableIndex(key: string): CatalogIndex | undefined {
    const index = this.state.indexes.get(key);
    if (!index || this.parent?.indexes.get(key) !== index) return index;
    const copy = { ...index, columns: [...index.columns] };
    this.state.indexes.set(key, copy);
    return copy;
  }

  /** `schema.name` for a RangeVar; unqualified names resolve to a temp table first, then `public`. */
  keyOf(rv: RangeVarLike): string {
    const name = rv.relname ?? '';
    if (rv.schemaname) return `${rv.schemaname}.${name}`;
    if (rv.relpersistence === 't') return `pg_temp.${name}`;
    if (this.temps > 0 && this.state.tables.has(`pg_temp.${name}`)) return `pg_temp.${name}`;
    return `public.${name}`;
  }

  /** Does an unqualified relation name resolve to a TEMP table? */
  isTempName(name: string): boolean {
    return this.temps > 0 && this.state.tables.has(`pg_temp.${name}`);
  }

  table(ref: RangeVarLike | string): CatalogTable | undefined {
    return this.state.tables.get(typeof ref === 'string' ? ref : this.keyOf(ref));
  }

  get tables(): IterableIterator<CatalogTable> {
    return this.state.tables.values();
  }

  indexesOf(tableKey: string): CatalogIndex[] {
    const out: CatalogIndex[] = [];
    for (const key of this.state.indexesByTable.get(tableKey) ?? []) out.push(this.state.indexes.get(key)!);
    return out;
  }

  /** Key of the index a DROP/ALTER INDEX names: `[schema, name]` exactly, `[name]` in any schema (the first created). */
  indexKey(parts: string[]): string | undefined {
    if (parts.length >= 2) return qualify(parts, this);
    for (const key of this.state.indexesByName.get(parts[0] ?? '') ?? []) return key;
    return undefined;
  }

  /** Adds or replaces an index. */
  setIndex(key: string, index: CatalogIndex): void {
    this.deleteIndex(key);
    this.state.indexes.set(key, index);
    this.ownKeySet(this.state.indexesByTable, this.parent?.indexesByTable, index.table).add(key);
    this.ownKeySet(this.state.indexesByName, this.parent?.indexesByName, index.name).add(key);
  }

  deleteIndex(key: string): boolean {
    const index = this.state.indexes.get(key);
    if (!index) return false;
    this.state.indexes.delete(key);
    this.dropKey(this.state.indexesByTable, this.parent?.indexesByTable, index.table, key);
    this.dropKey(this.state.indexesByName, this.parent?.indexesByName, index.name, key);
    return true;
  }

  /** The set under `name`, safe to change (a fork copies the parent's set first). */
  private ownKeySet(map: Map<string, Set<string>>, parent: Map<string, Set<string>> | undefined, name: string): Set<string> {
    let set = map.get(name);
    if (set && parent?.get(name) === set) map.set(name, (set = new Set(set)));
    else if (!set) map.set(name, (set = new Set()));
    return set;
  }

  private dropKey(map: Map<string, Set<string>>, parent: Map<string, Set<string>> | undefined, name: string, key: string): void {
    if (!map.get(name)?.has(key)) return;
    const set = this.ownKeySet(map, parent, name);
    set.delete(key);
    if (!set.size) map.delete(name);
  }

  /** Every column list that can serve lookups: the primary key, unique constraints and indexes. */
  indexedColumnLists(tableKey: string): (string | null)[][] {
    const table = this.table(tableKey);
    const lists: (string | null)[][] = this.indexesOf(tableKey).map((i) => i.columns);
    if (table?.primaryKey) lists.push(table.primaryKey.columns);
    for (const c of table?.constraints ?? []) if (c.kind === 'unique' || c.kind === 'exclusion') lists.push(c.columns);
    return lists;
  }

  /** True when `columns` are the leading columns (in any order) of some index or key. */
  hasLeadingIndex(tableKey: string, columns: string[]): boolean {
    const wanted = new Set(columns);
    return this.indexedColumnLists(tableKey).some((list) => {
      if (list.length < columns.length) return false;
      const head = list.slice(0, columns.length);
      return head.every((c) => c !== null && wanted.has(c));
    });
  }

  apply(stmt: Statement, file: string): void {
    const handler = HANDLERS[stmt.kind];
    if (handler) handler(this, stmt.node, { file, offset: stmt.start });
  }

  // --- mutation helpers -------------------------------------------------

  addColumn(table: CatalogTable, def: AstNode, origin: Origin): CatalogColumn {
    const { type, typmods, isArray } = typeOf(def.typeName);
    const column: CatalogColumn = {
      name: String(def.colname),
      type,
      typmods,
      isArray,
      notNull: false,
      generated: false,
      identity: false,
      origin: { file: origin.file, offset: def.location ?? origin.offset },
    };
    if (SERIAL_TYPES.has(type)) {
      column.notNull = true;
      column.default = { FuncCall: { funcname: [{ String: { sval: 'nextval' } }] } };
    }
    table.columns.set(column.name, column);
    for (const c of def.constraints ?? []) this.applyColumnConstraint(table, column, c.Constraint, origin);
    return column;
  }

  applyColumnConstraint(table: CatalogTable, column: CatalogColumn, con: AstNode, origin: Origin): void {
    const at = { file: origin.file, offset: con.location ?? origin.offset };
    switch (con.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_NULL':
        column.notNull = false;
        break;
      case 'CONSTR_DEFAULT':
        column.default = con.raw_expr;
        break;
      case 'CONSTR_GENERATED':
        column.generated = true;
        column.default = con.raw_expr;
        break;
      case 'CONSTR_IDENTITY':
        column.identity = true;
        column.notNull = true;
        break;
      case 'CONSTR_PRIMARY':
        column.notNull = true;
        table.primaryKey = { name: con.conname, kind: 'primary', columns: [column.name], notValid: false, origin: at };
        break;
      case 'CONSTR_UNIQUE':
        table.constraints.push({ name: con.conname, kind: 'unique', columns: [column.name], notValid: false, origin: at });
        break;
      case 'CONSTR_CHECK':
        table.constraints.push({ name: con.conname, kind: 'check', columns: [column.name], notValid: Boolean(con.skip_validation), origin: at });
        break;
      case 'CONSTR_FOREIGN':
        table.foreignKeys.push({
          name: con.conname,
          columns: [column.name],
          refTable: this.keyOf(con.pktable ?? {}),
          refColumns: names(con.pk_attrs),
          notValid: Boolean(con.skip_validation),
          origin: at,
        });
        break;
    }
  }

  applyTableConstraint(table: CatalogTable, con: AstNode, origin: Origin): void {
    const at = { file: origin.file, offset: con.location ?? origin.offset };
    const keys = names(con.keys);
    switch (con.contype) {
      case 'CONSTR_PRIMARY':
        table.primaryKey = { name: con.conname, kind: 'primary', columns: keys, notValid: false, origin: at };
        for (const k of keys) {
          const col = table.columns.get(k);
          if (col) col.notNull = true;
        }
        break;
      case 'CONSTR_UNIQUE':
        table.constraints.push({ name: con.conname, kind: 'unique', columns: keys, notValid: false, origin: at });
        break;
      case 'CONSTR_EXCLUSION':
        table.constraints.push({
          name: con.conname,
          kind: 'exclusion',
          columns: (con.exclusions ?? []).map((e: AstNode) => e?.List?.items?.[0]?.IndexElem?.name ?? null),
          notValid: false,
          origin: at,
        });
        break;
      case 'CONSTR_CHECK':
        table.constraints.push({ name: con.conname, kind: 'check', columns: [], notValid: Boolean(con.skip_validation), origin: at });
        break;
      case 'CONSTR_FOREIGN':
        table.foreignKeys.push({
          name: con.conname,
          columns: names(con.fk_attrs),
          refTable: this.keyOf(con.pktable ?? {}),
          refColumns: names(con.pk_attrs),
          notValid: Boolean(con.skip_validation),
          origin: at,
        });
        break;
    }
  }

  /**
   * `CREATE TABLE t (LIKE source INCLUDING …)`, as Postgres copies it: column names, types and NOT NULL
   * always; defaults, identity, generation expressions, CHECK constraints and indexes (with the primary
   * key and the UNIQUE and EXCLUDE constraints they back) only when included; foreign keys never.
   */
  copyLike(table: CatalogTable, like: AstNode, origin: Origin): void {
    const source = this.table(like.relation ?? {});
    if (!source) return;
    const options = Number(like.options ?? 0);
    const has = (option: number) => (options & option) !== 0;
    const at = { file: origin.file, offset: like.relation?.location ?? origin.offset };
    for (const [name, column] of source.columns) {
      const generated = column.generated && has(LIKE_GENERATED);
      const keepDefault = column.generated ? generated : has(LIKE_DEFAULTS);
      table.columns.set(name, { ...column, typmods: [...column.typmods], generated, identity: column.identity && has(LIKE_IDENTITY), default: keepDefault ? column.default : undefined, origin: at });
    }
    const copy = (c: CatalogConstraint, name: string | undefined): CatalogConstraint => ({ ...c, name, columns: [...c.columns], origin: at });
    if (has(LIKE_CONSTRAINTS)) for (const c of source.constraints) if (c.kind === 'check') table.constraints.push(copy(c, c.name));
    if (!has(LIKE_INDEXES)) return;
    // Copied indexes and constraints get names the way Postgres chooses them: table, columns, suffix.
    const named = (columns: (string | null)[], suffix: string) => `${table.name}_${columns.map((c) => c ?? 'expr').join('_')}_${suffix}`.slice(0, 63);
    if (source.primaryKey) table.primaryKey = copy(source.primaryKey, `${table.name}_pkey`.slice(0, 63));
    for (const c of source.constraints) if (c.kind === 'unique' || c.kind === 'exclusion') table.constraints.push(copy(c, named(c.columns, c.kind === 'unique' ? 'key' : 'excl')));
    for (const index of this.indexesOf(source.key)) {
      const base = named(index.columns, 'idx');
      let name = base;
      for (let n = 1; this.state.indexes.has(`${table.schema}.${name}`); n++) name = `${base}${n}`;
      this.setIndex(`${table.schema}.${name}`, { ...index, schema: table.schema, name, table: table.key, columns: [...index.columns], origin: at });
    }
  }

  createTable(key: string, persistence: CatalogTable['persistence'], origin: Origin): CatalogTable {
    const [schema, name] = splitKey(key);
    const table: CatalogTable = {
      schema,
      name,
      key,
      persistence,
      partitioned: false,
      fromQuery: false,
      columns: new Map(),
      foreignKeys: [],
      constraints: [],
      rlsEnabled: false,
      rlsForced: false,
      policies: [],
      origin,
    };
    this.setTable(key, table);
    this.touched.add(key);
    return table;
  }

  dropTable(key: string): void {
    if (this.deleteTable(key)) this.touched.add(key);
    for (const k of [...(this.state.indexesByTable.get(key) ?? [])]) this.deleteIndex(k);
  }

  renameTable(oldKey: string, newKey: string): void {
    const table = this.mutable(oldKey);
    if (!table) return;
    this.deleteTable(oldKey);
    [table.schema, table.name] = splitKey(newKey);
    table.key = newKey;
    this.setTable(newKey, table);
    this.touched.add(newKey);
    for (const key of [...(this.state.indexesByTable.get(oldKey) ?? [])]) {
      const index = this.state.indexes.get(key)!;
      this.deleteIndex(key);
      this.setIndex(key, { ...index, columns: [...index.columns], table: newKey });
    }
    const referencing: string[] = [];
    for (const t of this.state.tables.values()) if (t.foreignKeys.length && t.foreignKeys.some((fk) => fk.refTable === oldKey)) referencing.push(t.key);
    for (const key of referencing) for (const fk of this.mutable(key)!.foreignKeys) if (fk.refTable === oldKey) fk.refTable = newKey;
  }
}

export function splitKey(key: string): [string, string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

function persistenceOf(rv: AstNode): CatalogTable['persistence'] {
  return rv?.relpersistence === 't' ? 'temp' : rv?.relpersistence === 'u' ? 'unlogged' : 'permanent';
}

/** Object names in a DropStmt: each is a list of name parts. */
export function dropObjectNames(node: AstNode): string[][] {
  return (node.objects ?? []).map((o: AstNode) => {
    if (o?.List) return names(o.List.items);
    if (o?.ObjectWithArgs) return names(o.ObjectWithArgs.objname);
    if (o?.String) return [o.String.sval];
    if (o?.TypeName) return names(o.TypeName.names);
    return [];
  });
}

/** The catalog key of a name written as parts (`[schema, name]` or `[name]`, resolved as an unqualified relation). */
export function qualify(parts: string[], catalog: Catalog): string {
  if (parts.length >= 2) return `${parts[parts.length - 2]!}.${parts[parts.length - 1]!}`;
  return catalog.keyOf({ relname: parts[0] ?? '' });
}

type Handler = (catalog: Catalog, node: AstNode, origin: Origin) => void;

const HANDLERS: Record<string, Handler> = {
  CreateSchemaStmt(catalog, node) {
    if (node.schemaname) catalog.state.schemas.add(String(node.schemaname));
  },

  CreateStmt(catalog, node, origin) {
    const key = catalog.keyOf(node.relation);
    if (catalog.state.tables.has(key) && node.if_not_exists) return;
    const table = catalog.createTable(key, persistenceOf(node.relation), { file: origin.file, offset: node.relation?.location ?? origin.offset });
    if (node.partspec) table.partitioned = true;
    if (node.partbound && node.inhRelations?.[0]?.RangeVar) {
      const parentKey = catalog.keyOf(node.inhRelations[0].RangeVar);
      table.partitionOf = parentKey;
      const parent = catalog.table(parentKey);
      if (parent) for (const [name, column] of parent.columns) table.columns.set(name, { ...column });
    } else
      for (const inherited of node.inhRelations ?? []) {
        // INHERITS (parent, ...): the parents' columns come first, with their types, NOT NULL, defaults and
        // generation expressions (not identity), and their CHECK constraints; indexes and keys stay behind.
        const parent = inherited.RangeVar ? catalog.table(inherited.RangeVar) : undefined;
        if (!parent) continue;
        (table.inherits ??= []).push(parent.key);
        // Findings on an inherited column point at the INHERITS clause that brought it.
        const at = { file: origin.file, offset: inherited.RangeVar.location ?? origin.offset };
        for (const [name, column] of parent.columns) if (!table.columns.has(name)) table.columns.set(name, { ...column, typmods: [...column.typmods], identity: false, origin: at });
        for (const c of parent.constraints) if (c.kind === 'check') table.constraints.push({ ...c, columns: [...c.columns], origin: at });
      }
    for (const element of node.tableElts ?? []) {
      if (element.ColumnDef) {
        const existing = table.columns.get(String(element.ColumnDef.colname));
        if (existing && (table.partitionOf || node.inhRelations?.length)) {
          for (const c of element.ColumnDef.constraints ?? []) catalog.applyColumnConstraint(table, existing, c.Constraint, origin);
        } else catalog.addColumn(table, element.ColumnDef, origin);
      } else if (element.Constraint) catalog.applyTableConstraint(table, element.Constraint, origin);
      else if (element.TableLikeClause) catalog.copyLike(table, element.TableLikeClause, origin);
    }
  },

  CreateTableAsStmt(catalog, node, origin) {
    if (node.objtype === 'OBJECT_MATVIEW') {
      catalog.state.views.add(catalog.keyOf(node.into?.rel ?? {}));
      return;
    }
    const rel = node.into?.rel ?? {};
    const key = catalog.keyOf(rel);
    if (catalog.state.tables.has(key) && node.if_not_exists) return;
    const table = catalog.createTable(key, persistenceOf(rel), { file: origin.file, offset: rel.location ?? origin.offset });
    table.fromQuery = true;
    const explicit = names(node.into?.colNames);
    const targets: AstNode[] = node.query?.SelectStmt?.targetList ?? [];
    const columnNames = explicit.length
      ? explicit
      : targets.map((t: AstNode) => {
          const rt = t.ResTarget ?? {};
          if (rt.name) return rt.name;
          const fields = names(rt.val?.ColumnRef?.fields);
          return fields[fields.length - 1] ?? '?column?';
        });
    for (const name of columnNames) {
      table.columns.set(name, {
        name,
        type: 'unknown',
        typmods: [],
        isArray: false,
        notNull: false,
        generated: false,
        identity: false,
        origin: table.origin,
      });
    }
  },

  // `SELECT ... INTO t`: Postgres's other spelling of CREATE TABLE t AS SELECT ...
  SelectStmt(catalog, node, origin) {
    if (node.intoClause?.rel) HANDLERS.CreateTableAsStmt!(catalog, { objtype: 'OBJECT_TABLE', into: node.intoClause, query: { SelectStmt: node } }, origin);
  },

  AlterTableStmt(catalog, node, origin) {
    if (node.objtype && node.objtype !== 'OBJECT_TABLE') return;
    const table = catalog.mutable(node.relation ?? {});
    if (!table) return;
    for (const item of node.cmds ?? []) {
      const cmd = item.AlterTableCmd;
      if (!cmd) continue;
      const colName = cmd.name ? String(cmd.name) : undefined;
      const column = colName ? table.columns.get(colName) : undefined;
      switch (cmd.subtype) {
        case 'AT_AddColumn':
          if (cmd.def?.ColumnDef) {
            const name = String(cmd.def.ColumnDef.colname);
            if (table.columns.has(name) && cmd.missing_ok) break;
            catalog.addColumn(table, cmd.def.ColumnDef, origin);
          }
          break;
        case 'AT_DropColumn':
          if (colName) {
            table.columns.delete(colName);
            table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(colName));
            table.constraints = table.constraints.filter((c) => !c.columns.includes(colName));
            if (table.primaryKey?.columns.includes(colName)) table.primaryKey = undefined;
            for (const index of catalog.indexesOf(table.key)) if (index.columns.includes(colName)) catalog.deleteIndex(`${index.schema}.${index.name}`);
          }
          break;
        case 'AT_AlterColumnType':
          if (column && cmd.def?.ColumnDef?.typeName) Object.assign(column, typeOf(cmd.def.ColumnDef.typeName));
          break;
        case 'AT_SetNotNull':
          if (column) column.notNull = true;
          break;
        case 'AT_DropNotNull':
          if (column) column.notNull = false;
          break;
        case 'AT_ColumnDefault':
          if (column) column.default = cmd.def ?? undefined;
          break;
        case 'AT_AddConstraint':
          if (cmd.def?.Constraint) catalog.applyTableConstraint(table, cmd.def.Constraint, origin);
          break;
        case 'AT_ValidateConstraint':
          for (const c of [...table.foreignKeys, ...table.constraints]) if (c.name === cmd.name) c.notValid = false;
          break;
        case 'AT_DropConstraint': {
          const name = cmd.name;
          table.foreignKeys = table.foreignKeys.filter((c) => c.name !== name);
          table.constraints = table.constraints.filter((c) => c.name !== name);
          if (table.primaryKey?.name === name || (name && name === `${table.name}_pkey`)) table.primaryKey = undefined;
          break;
        }
        case 'AT_EnableRowSecurity':
          table.rlsEnabled = true;
          break;
        case 'AT_DisableRowSecurity':
          table.rlsEnabled = false;
          break;
        case 'AT_ForceRowSecurity':
          table.rlsForced = true;
          break;
        case 'AT_NoForceRowSecurity':
          table.rlsForced = false;
          break;
        case 'AT_AttachPartition': {
          const child = catalog.mutable(cmd.def?.PartitionCmd?.name ?? {});
          if (child) child.partitionOf = table.key;
          break;
        }
      }
    }
  },

  RenameStmt(catalog, node) {
    switch (node.renameType) {
      case 'OBJECT_TABLE': {
        const oldKey = catalog.keyOf(node.relation ?? {});
        const [schema] = splitKey(oldKey);
        catalog.renameTable(oldKey, `${schema}.${String(node.newname)}`);
        break;
      }
      case 'OBJECT_COLUMN': {
        const table = catalog.mutable(node.relation ?? {});
        const oldName = String(node.subname);
        const column = table?.columns.get(oldName);
        if (table && column) {
          const newName = String(node.newname);
          table.columns.delete(oldName);
          column.name = newName;
          table.columns.set(newName, column);
          const swap = (list: (string | null)[]) => list.map((c) => (c === oldName ? newName : c));
          for (const fk of table.foreignKeys) fk.columns = swap(fk.columns) as string[];
          for (const c of table.constraints) c.columns = swap(c.columns) as string[];
          if (table.primaryKey) table.primaryKey.columns = swap(table.primaryKey.columns) as string[];
          for (const index of catalog.indexesOf(table.key)) catalog.mutableIndex(`${index.schema}.${index.name}`)!.columns = swap(index.columns);
        }
        break;
      }
      case 'OBJECT_TABCONSTRAINT': {
        const table = catalog.mutable(node.relation ?? {});
        for (const c of [...(table?.foreignKeys ?? []), ...(table?.constraints ?? [])]) if (c.name === node.subname) c.name = node.newname;
        break;
      }
      case 'OBJECT_INDEX': {
        const oldKey = catalog.keyOf(node.relation ?? {});
        const index = catalog.mutableIndex(oldKey);
        if (index) {
          catalog.deleteIndex(oldKey);
          index.name = String(node.newname);
          catalog.setIndex(`${index.schema}.${index.name}`, index);
        }
        break;
      }
    }
  },

  AlterObjectSchemaStmt(catalog, node) {
    if (node.objectType !== 'OBJECT_TABLE') return;
    const oldKey = catalog.keyOf(node.relation ?? {});
    const [, name] = splitKey(oldKey);
    catalog.renameTable(oldKey, `${String(node.newschema)}.${name}`);
  },

  IndexStmt(catalog, node, origin) {
    const tableKey = catalog.keyOf(node.relation ?? {});
    const [tableSchema] = splitKey(tableKey);
    const name = String(node.idxname ?? `${splitKey(tableKey)[1]}_idx`);
    const key = `${tableSchema}.${name}`;
    if (catalog.state.indexes.has(key) && node.if_not_exists) return;
    catalog.setIndex(key, {
      schema: tableSchema,
      name,
      table: tableKey,
      columns: (node.indexParams ?? []).map((p: AstNode) => (p.IndexElem?.name ? String(p.IndexElem.name) : null)),
      unique: Boolean(node.unique),
      partial: Boolean(node.whereClause),
      origin: { file: origin.file, offset: origin.offset },
    });
  },

  DropStmt(catalog, node) {
    const objects = dropObjectNames(node);
    switch (node.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_FOREIGN_TABLE':
        for (const parts of objects) catalog.dropTable(qualify(parts, catalog));
        break;
      case 'OBJECT_INDEX':
        for (const parts of objects) {
          const key = catalog.indexKey(parts);
          if (key) catalog.deleteIndex(key);
        }
        break;
      case 'OBJECT_SCHEMA':
        for (const parts of objects) {
          const schema = parts[0] ?? '';
          catalog.state.schemas.delete(schema);
          for (const key of [...catalog.state.tables.keys()]) if (splitKey(key)[0] === schema) catalog.dropTable(key);
        }
        break;
      case 'OBJECT_POLICY':
        for (const parts of objects) {
          const policy = parts[parts.length - 1];
          const table = catalog.mutable(qualify(parts.slice(0, -1), catalog));
          if (table) table.policies = table.policies.filter((p) => p.name !== policy);
        }
        break;
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
        for (const parts of objects) catalog.state.views.delete(qualify(parts, catalog));
        break;
      case 'OBJECT_SEQUENCE':
        for (const parts of objects) catalog.state.sequences.delete(qualify(parts, catalog));
        break;
    }
  },

  CreatePolicyStmt(catalog, node, origin) {
    const table = catalog.mutable(node.table ?? {});
    if (!table) return;
    table.policies = table.policies.filter((p) => p.name !== node.policy_name);
    table.policies.push({
      name: node.policy_name,
      command: node.cmd_name ?? 'all',
      permissive: node.permissive !== false,
      using: node.qual,
      withCheck: node.with_check,
      origin,
    });
  },

  AlterPolicyStmt(catalog, node) {
    const table = catalog.mutable(node.table ?? {});
    const policy = table?.policies.find((p) => p.name === node.policy_name);
    if (!policy) return;
    if (node.qual) policy.using = node.qual;
    if (node.with_check) policy.withCheck = node.with_check;
  },

  ViewStmt(catalog, node) {
    catalog.state.views.add(catalog.keyOf(node.view ?? {}));
  },

  CreateSeqStmt(catalog, node) {
    catalog.state.sequences.add(catalog.keyOf(node.sequence ?? {}));
  },

  CreateFunctionStmt(catalog, node) {
    const parts = names(node.funcname);
    catalog.state.functions.add(qualify(parts, catalog));
  },
};
