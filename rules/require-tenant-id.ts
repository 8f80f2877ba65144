import { complianceLost, displayKey, tenancyExempt } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogColumn, CatalogTable } from '../src/catalog/model.js';

const tenantProblems = (tenant: CatalogColumn) =>
  [tenant.type !== 'uuid' && tenant.type !== 'unknown' ? `is ${tenant.type}, not uuid` : '', !tenant.notNull ? 'is nullable' : ''].filter(Boolean).join(' and ');

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
    const lost = complianceLost(context, compliant);
    return {
      AlterTableStmt: lost.note,
      RenameStmt: lost.note,
      'file:end'() {
        if (context.file.role !== 'up') return;
        for (const { table, offset } of lost.check()) {
          const tenant = table.columns.get(column);
          context.report({
            offset,
            message: tenant ? `${displayKey(table.key)}.${column} ${tenantProblems(tenant)} after this change` : `table ${displayKey(table.key)} no longer has a ${column} column after this change`,
            help: `keep \`${column} uuid NOT NULL\` on every tenant table: rows without a tenant escape isolation`,
          });
        }
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
            context.report({
              offset: tenant.origin.offset,
              message: `${name}.${column} ${tenantProblems(tenant)}`,
              help: `declare it \`${column} uuid NOT NULL REFERENCES ${tenants}(id)\`: every row must belong to exactly one tenant`,
            });
          }
        }
      },
    };
  },
});

