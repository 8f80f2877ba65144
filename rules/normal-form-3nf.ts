import { AUDIT_COLUMNS, displayKey, singular } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogTable } from '../src/catalog/model.js';

export default createRule({
  meta: {
    id: 'normal-form-3nf',
    level: 'shadow',
    category: 'governance',
    summary: 'A column copying an attribute of a referenced table (customer_id + customer_name where customers has name).',
  },
  create(context) {
    const tenantColumn = context.config.tenancy.column;
    /** The table a `<stem>_id` column points to: its foreign key, else a table named after the stem in the same schema. */
    const referenced = (table: CatalogTable, column: string): CatalogTable | undefined => {
      const fk = table.foreignKeys.find((f) => f.columns.includes(column));
      if (fk) return context.catalog.table(fk.refTable);
      // Named after the stem whatever the case the table is written in (`customer_id` and `"Customers"`).
      const stem = column.slice(0, -3).toLowerCase();
      for (const t of context.catalog.tables) {
        if (t.schema !== table.schema || t === table) continue;
        const name = t.name.toLowerCase();
        if (name === stem || singular(name) === stem) return t;
      }
      return undefined;
    };
    return {
      'file:end'() {
        if (context.file.role !== 'up') return;
        for (const table of context.tablesTouchedInFile()) {
          if (table.persistence === 'temp' || table.partitionOf) continue;
          // Only columns added by this file are reported: skip tables it did not touch before the costly part.
          if (!someColumnFrom(table, context.file.relPath)) continue;
          // `<stem>_id` columns, longest stem first; a stem's target is looked up only when a new column starts with it.
          const stems = [...table.columns.keys()]
            .filter((c) => c.endsWith('_id') && c.length > 3 && c !== tenantColumn)
            .map((c) => ({ column: c, stem: c.slice(0, -3), target: undefined as CatalogTable | undefined, resolved: false }))
            .sort((a, b) => b.stem.length - a.stem.length);
          if (!stems.length) continue;
          for (const column of table.columns.values()) {
            const name = column.name;
            if (column.origin.file !== context.file.relPath || name.endsWith('_id') || AUDIT_COLUMNS.has(name)) continue;
            const ref = stems.find((r) => {
              if (!name.startsWith(`${r.stem}_`)) return false;
              if (!r.resolved) {
                r.resolved = true;
                r.target = referenced(table, r.column);
              }
              return r.target !== undefined && r.target !== table;
            });
            if (!ref) continue;
            const attribute = name.slice(ref.stem.length + 1);
            const source = ref.target!.columns.get(attribute);
            if (!source || AUDIT_COLUMNS.has(attribute)) continue;
            context.report({
              offset: column.origin.offset,
              message: `${displayKey(table.key)}.${name} copies ${displayKey(ref.target!.key)}.${attribute}, which ${ref.column} already reaches`,
              help: `drop the copy and join through ${ref.column}; if it is a deliberate snapshot (the value at the time), acknowledge it: \`-- aibos-ack normal-form-3nf: snapshot of ...\``,
            });
          }
        }
      },
    };
  },
});

function someColumnFrom(table: CatalogTable, file: string): boolean {
  for (const column of table.columns.values()) if (column.origin.file === file) return true;
  return false;
}
