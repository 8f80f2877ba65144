import { AUDIT_COLUMNS, displayKey, singular } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogTable } from '../src/catalog/model.js';

/** Leftovers of copy-paste and migrations gone wrong: `tbl_orders`, `orders_new`, `orders_v2`. */
const NOISE_PREFIX = /^(tbl|tb|t|new|old|tmp|temp|bak|backup|copy_of)_/;
const NOISE_SUFFIX = /_(new|old|tmp|temp|bak|backup|copy|v\d+|\d+)$/;
const TIME_TYPES = new Set(['timestamptz', 'timestamp', 'date', 'time', 'timetz']);
/** Overlap of non-audit columns, relative to the larger table, that makes two tables one entity. */
const OVERLAP = 0.8;
/** Fewer shared columns than this is a common shape (`code`, `name`), not a copy. */
const MIN_SHARED = 3;

export default createRule({
  meta: {
    id: 'duplicate-entity',
    level: 'warn',
    category: 'governance',
    summary: "A new table whose name nearly duplicates an existing one (plural/singular, prefix) or whose non-audit columns overlap another's by 80% or more.",
  },
  create(context) {
    const schemaPrefixes = Object.keys(context.config.schemas);
    // What the entity is called, whatever the case it is written in (`"User"` and `users` are one entity).
    const entityName = (table: CatalogTable) => {
      let name = table.name.toLowerCase();
      for (const s of [table.schema.toLowerCase(), ...schemaPrefixes]) if (name.startsWith(`${s}_`) && name.length > s.length + 1) name = name.slice(s.length + 1);
      name = name.replace(NOISE_PREFIX, '').replace(NOISE_SUFFIX, '');
      const words = name.split('_').filter(Boolean);
      if (words.length) words[words.length - 1] = singular(words[words.length - 1]!);
      return words.join('');
    };
    // What describes the entity: not the audit columns, not references (two link tables between the same
    // entities, `follower` and `moderator`, are different relationships) and not bare timestamps.
    const isBusiness = (c: { name: string; type: string }) => !AUDIT_COLUMNS.has(c.name) && !c.name.endsWith('_id') && !TIME_TYPES.has(c.type);
    const businessColumns = (t: CatalogTable) => {
      const out: string[] = [];
      for (const c of t.columns.values()) if (isBusiness(c)) out.push(c.name);
      return out;
    };
    /** Does `t` still have exactly these descriptive columns? Compared without building the list. */
    const sameBusinessColumns = (t: CatalogTable, columns: Set<string>) => {
      let count = 0;
      for (const c of t.columns.values()) {
        if (!isBusiness(c)) continue;
        if (!columns.has(c.name)) return false;
        count++;
      }
      return count === columns.size;
    };
    // A partition or an INHERITS child shares its parent's columns by design.
    const candidate = (t: CatalogTable) => t.persistence !== 'temp' && !t.partitionOf && !t.inherits;
    let fileOrder = new Map<string, number>();
    const before = (a: CatalogTable, b: CatalogTable) =>
      a.origin.file !== b.origin.file ? (fileOrder.get(a.origin.file) ?? -1) < (fileOrder.get(b.origin.file) ?? -1) : a.origin.offset < b.origin.offset;
    // Memoised by key: a renamed table gets a new key, so a stale name is never returned.
    const names = new Map<string, string>();
    const nameOf = (t: CatalogTable) => {
      let n = names.get(t.key);
      if (n === undefined) names.set(t.key, (n = entityName(t)));
      return n;
    };

    // An index of the candidate tables of the history so far (only up files change it), by entity name and
    // by descriptive column, brought up to date at each up file's end from the tables that file touched:
    // comparing each new table with every earlier one made this rule a quarter of a corpus lint.
    interface Entry {
      table: CatalogTable;
      name: string;
      columns: Set<string>;
    }
    const entries = new Map<string, Entry>();
    /** Keys touched since the index was last brought up to date. */
    const dirty = new Set<string>();
    const byName = new Map<string, Set<string>>();
    const byColumn = new Map<string, Set<string>>();
    const unlist = (map: Map<string, Set<string>>, value: string, key: string) => {
      const keys = map.get(value);
      if (keys?.delete(key) && !keys.size) map.delete(value);
    };
    const list = (map: Map<string, Set<string>>, value: string, key: string) => {
      let keys = map.get(value);
      if (!keys) map.set(value, (keys = new Set()));
      keys.add(key);
    };
    const refresh = (key: string) => {
      const old = entries.get(key);
      const table = context.catalog.table(key);
      if (old && table && candidate(table)) {
        // Most touched tables only gained an index, a key or a default: same name, same descriptive columns.
        if (sameBusinessColumns(table, old.columns)) {
          old.table = table;
          return;
        }
      }
      if (old) {
        entries.delete(key);
        unlist(byName, old.name, key);
        for (const c of old.columns) unlist(byColumn, c, key);
      }
      if (!table || !candidate(table)) return;
      const entry: Entry = { table, name: nameOf(table), columns: new Set(businessColumns(table)) };
      entries.set(key, entry);
      list(byName, entry.name, key);
      for (const c of entry.columns) list(byColumn, c, key);
    };
    /**
     * Every indexed table that could share enough of `mine` (MIN_SHARED, and OVERLAP of the larger),
     * without walking the long lists of common columns (`name` is in thousands of tables): such a table
     * lacks at most `mine.length - need` of them, so it has one of any `mine.length - need + 1` of them,
     * and the rarest are the cheapest to look up. A table with fewer than MIN_SHARED such columns has none
     * (500 tables of `id, name` cost 125,000 lookups before).
     */
    const overlapCandidates = (mine: string[]): Set<string> => {
      const need = Math.max(MIN_SHARED, Math.floor(OVERLAP * mine.length));
      const found = new Set<string>();
      if (need > mine.length) return found;
      const lists = mine.map((c) => byColumn.get(c)).filter((keys) => keys !== undefined);
      if (lists.length < need) return found;
      lists.sort((a, b) => a.size - b.size);
      for (const keys of lists.slice(0, mine.length - need + 1)) for (const key of keys) found.add(key);
      return found;
    };
    /** The first of `tables` in catalog order, as a full scan of the catalog would meet them. */
    const firstInCatalog = (tables: CatalogTable[]): CatalogTable => {
      if (tables.length === 1) return tables[0]!;
      const wanted = new Set(tables);
      for (const t of context.catalog.tables) if (wanted.has(t)) return t;
      return tables[0]!;
    };

    return {
      'run:start'() {
        fileOrder = new Map(context.migrations.files.map((f, i) => [f.relPath, i]));
      },
      'file:end'() {
        if (context.file.role !== 'up') return;
        // The index is read only when a file creates tables: catch up then on everything touched since.
        for (const key of context.catalog.touched) dirty.add(key);
        const created = context.tablesCreatedInFile().filter(candidate);
        if (!created.length) return;
        for (const key of dirty) refresh(key);
        dirty.clear();
        for (const table of created) {
          const name = nameOf(table);
          const twins: CatalogTable[] = [];
          for (const key of byName.get(name) ?? []) {
            const other = entries.get(key)!.table;
            if (other !== table && before(other, table)) twins.push(other);
          }
          if (twins.length) {
            const twin = firstInCatalog(twins);
            context.report({
              offset: table.origin.offset,
              message: `table ${displayKey(table.key)} looks like a second ${displayKey(twin.key)} (same name up to plural, prefix or suffix)`,
              help: `use ${displayKey(twin.key)} (add the columns you need to it), or give this table a name that says how it differs`,
            });
            continue;
          }
          const mine = businessColumns(table);
          const copies: CatalogTable[] = [];
          for (const key of overlapCandidates(mine)) {
            const other = entries.get(key)!;
            let count = 0;
            for (const c of mine) if (other.columns.has(c)) count++;
            if (count < MIN_SHARED || count / Math.max(mine.length, other.columns.size) < OVERLAP) continue;
            if (other.table !== table && before(other.table, table)) copies.push(other.table);
          }
          if (!copies.length) continue;
          const other = firstInCatalog(copies);
          const theirs = entries.get(other.key)!.columns;
          const common = mine.filter((c) => theirs.has(c));
          context.report({
            offset: table.origin.offset,
            message: `table ${displayKey(table.key)} shares ${common.length} of its ${mine.length} descriptive columns with ${displayKey(other.key)} (${common.join(', ')})`,
            help: `if they hold the same entity, keep one table (a type column can tell kinds apart); if not, acknowledge it: \`-- aibos-ack duplicate-entity: <how they differ>\``,
          });
        }
      },
    };
  },
});
