import { displayKey, sqlIdent, sqlKey } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogTable, Origin } from '../src/catalog/model.js';

/** Postgres truncates identifiers at 63 bytes; keep the suggested name inside that. */
function indexName(table: CatalogTable, columns: string[]): string {
  return `${table.name}_${columns.join('_')}`.slice(0, 59) + '_idx';
}

/** The index to add, and where: CONCURRENTLY needs a file of its own and is refused on a partitioned table. */
function indexAdvice(table: CatalogTable, columns: string[], origin: Origin): string {
  const index = `${sqlIdent(indexName(table, columns))} ON ${sqlKey(table.key)} (${columns.map(sqlIdent).join(', ')})`;
  const why = 'deletes and updates on the referenced table scan this one without it';
  if (table.partitioned) return `\`CREATE INDEX IF NOT EXISTS ${index};\` (a partitioned table cannot be indexed CONCURRENTLY; this builds it on every partition; ${why})`;
  if (origin.file === table.origin.file)
    return `\`CREATE INDEX IF NOT EXISTS ${index};\` in the migration that creates ${table.key}, or \`CREATE INDEX CONCURRENTLY\` in a file of its own once the table holds data (${why})`;
  return `\`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${index};\` (its own migration file; ${why})`;
}

export default createRule({
  meta: {
    id: 'require-index-on-fk',
    level: 'warn',
    category: 'governance',
    summary: 'A foreign key (or tenant_id) whose columns are not the leading columns of an index or key by the end of the history.',
  },
  create(context) {
    const tenantColumn = context.config.tenancy.column;
    return {
      'run:end'() {
        const final = context.final;
        const report = (table: CatalogTable, columns: string[], origin: Origin, what: string) => {
          const file = context.fileAt(origin.file);
          if (!file) return;
          const subject = columns.length === 1 ? `${displayKey(table.key)}.${columns[0]}` : `${displayKey(table.key)} (${columns.join(', ')})`;
          context.report({
            file,
            offset: origin.offset,
            message: `${subject} ${what} but no index leading with ${columns.length === 1 ? 'it' : 'those columns'}`,
            help: indexAdvice(table, columns, origin),
          });
        };
        for (const table of final.tables) {
          // Temp tables are gone at session end; a partition is indexed through its parent's indexes.
          if (table.persistence === 'temp' || (table.partitionOf && final.table(table.partitionOf))) continue;
          const seen = new Set<string>();
          for (const fk of table.foreignKeys) {
            const key = [...fk.columns].sort().join(',');
            if (!fk.columns.length || seen.has(key)) continue;
            seen.add(key);
            if (!final.hasLeadingIndex(table.key, fk.columns)) report(table, fk.columns, fk.origin, 'has a foreign key');
          }
          const tenant = table.columns.get(tenantColumn);
          if (tenant && !seen.has(tenantColumn) && !final.hasLeadingIndex(table.key, [tenantColumn])) report(table, [tenantColumn], tenant.origin, 'is the tenant key');
        }
      },
    };
  },
});
