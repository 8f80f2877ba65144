import { AUDIT_COLUMNS, displayKey, singular, tablesCreatedInFile } from '../src/lint/ast.js';
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
    const entityName = (table: CatalogTable) => {
      let name = table.name;
      for (const s of [table.schema, ...schemaPrefixes]) if (name.startsWith(`${s}_`) && name.length > s.length + 1) name = name.slice(s.length + 1);
      name = name.replace(NOISE_PREFIX, '').replace(NOISE_SUFFIX, '');
      const words = name.split('_').filter(Boolean);
      if (words.length) words[words.length - 1] = singular(words[words.length - 1]!);
      return words.join('');
    };
    // What describes the entity: not the audit columns, not references (two link tables between the same
    // entities, `follower` and `moderator`, are different relationships) and not bare timestamps.
    const businessColumns = (t: CatalogTable) =>
      [...t.columns.values()].filter((c) => !AUDIT_COLUMNS.has(c.name) && !c.name.endsWith('_id') && !TIME_TYPES.has(c.type)).map((c) => c.name);
    const candidate = (t: CatalogTable) => t.persistence !== 'temp' && !t.partitionOf;
    // File positions looked up once (a findIndex per comparison made this rule cubic over a long history).
    const position = new Map<string, number>();
    context.migrations.files.forEach((f, i) => {
      if (!position.has(f.relPath)) position.set(f.relPath, i);
    });
    const indexOf = (file: string) => position.get(file) ?? -1;
    const before = (a: CatalogTable, b: CatalogTable) => (a.origin.file !== b.origin.file ? indexOf(a.origin.file) < indexOf(b.origin.file) : a.origin.offset < b.origin.offset);

    return {
      'file:end'() {
        if (context.file.role !== 'up') return;
        const all = [...context.catalog.tables].filter(candidate);
        for (const table of tablesCreatedInFile(context)) {
          if (!candidate(table)) continue;
          const earlier = all.filter((other) => other !== table && before(other, table));
          const name = entityName(table);
          const twin = earlier.find((other) => entityName(other) === name);
          if (twin) {
            context.report({
              offset: table.origin.offset,
              message: `table ${displayKey(table.key)} looks like a second ${displayKey(twin.key)} (same name up to plural, prefix or suffix)`,
              help: `use ${displayKey(twin.key)} (add the columns you need to it), or give this table a name that says how it differs`,
            });
            continue;
          }
          const mine = businessColumns(table);
          for (const other of earlier) {
            const theirs = new Set(businessColumns(other));
            const shared = mine.filter((c) => theirs.has(c));
            if (shared.length < MIN_SHARED || shared.length / Math.max(mine.length, theirs.size) < OVERLAP) continue;
            context.report({
              offset: table.origin.offset,
              message: `table ${displayKey(table.key)} shares ${shared.length} of its ${mine.length} descriptive columns with ${displayKey(other.key)} (${shared.join(', ')})`,
              help: `if they hold the same entity, keep one table (a type column can tell kinds apart); if not, acknowledge it: \`-- aibos-ack duplicate-entity: <how they differ>\``,
            });
            break;
          }
        }
      },
    };
  },
});
