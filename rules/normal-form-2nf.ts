import { AUDIT_COLUMNS, displayKey } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'normal-form-2nf',
    level: 'shadow',
    category: 'governance',
    summary: 'A composite primary key (a, b) and a column whose name ties it to only one key part (product_id + product_name).',
  },
  create(context) {
    return {
      'file:end'() {
        if (context.file.role !== 'up') return;
        // Only columns this file added are reported, and a table that gained one is a table the file touched.
        for (const table of context.tablesTouchedInFile()) {
          const key = table.primaryKey?.columns ?? [];
          if (table.persistence === 'temp' || table.partitionOf || key.length < 2) continue;
          // `product_id` -> `product`: the entity a key part stands for.
          const stems = key.filter((k) => k.endsWith('_id') && k.length > 3).map((k) => ({ part: k, stem: k.slice(0, -3) }));
          for (const column of table.columns.values()) {
            const name = column.name;
            if (column.origin.file !== context.file.relPath || key.includes(name) || AUDIT_COLUMNS.has(name) || name.endsWith('_id')) continue;
            const matches = stems.filter((s) => name.startsWith(`${s.stem}_`)).sort((a, b) => b.stem.length - a.stem.length);
            const owner = matches[0];
            if (!owner) continue;
            context.report({
              offset: column.origin.offset,
              message: `${displayKey(table.key)}.${name} looks like it depends on ${owner.part} alone, not on the whole key (${key.join(', ')})`,
              help: `keep ${name} in the table ${owner.part} points to (${owner.stem}s) and join to it`,
            });
          }
        }
      },
    };
  },
});
