import { displayKey, tenancyExempt } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogTable } from '../src/catalog/model.js';

export default createRule({
  meta: {
    id: 'require-tenant-id',
    level: 'block',
    category: 'governance',
    summary: 'A permanent table without a NOT NULL uuid tenant_id column by the end of the file.',
  },
  create(context) {
    const column = context.config.tenancy.column;
    const compliant = (t: CatalogTable) => {
      const c = t.columns.get(column);
      // CREATE TABLE AS gives columns no declared type (`unknown`): only nullability can be judged.
      return c !== undefined && c.notNull && (c.type === 'uuid' || c.type === 'unknown');
    };
    return {
      'file:end'() {
        if (context.file.role !== 'up') return;
        for (const table of context.tablesCreatedInFile()) {
          if (tenancyExempt(context, table, compliant) || compliant(table)) continue;
          const name = displayKey(table.key);
          const tenant = table.columns.get(column);
          const tenants = context.config.tenancy.tenantsTable;
          if (!tenant) {
            context.report({
              offset: table.origin.offset,
              message: `table ${name} has no ${column} column`,
              help: `add \`${column} uuid NOT NULL REFERENCES ${tenants}(id)\`, or list ${table.key} in tenancy.globalTables if it is truly global`,
            });
          } else {
            const problems = [tenant.type !== 'uuid' && tenant.type !== 'unknown' ? `is ${tenant.type}, not uuid` : '', !tenant.notNull ? 'is nullable' : ''].filter(Boolean).join(' and ');
            context.report({
              offset: tenant.origin.offset,
              message: `${name}.${column} ${problems}`,
              help: `declare it \`${column} uuid NOT NULL REFERENCES ${tenants}(id)\`: every row must belong to exactly one tenant`,
            });
          }
        }
      },
    };
  },
});

