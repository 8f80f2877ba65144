import { configNames, displayKey, sqlIdent, sqlKey } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogTable } from '../src/catalog/model.js';

interface Options {
  /** Column names (`stripe_id`) or `schema.table.column` that hold external ids, not references. */
  ignoreColumns: string[];
}

export default createRule<Options>({
  meta: {
    id: 'require-fk-on-id',
    level: 'warn',
    category: 'governance',
    summary: 'A *_id column with no FOREIGN KEY by the end of the history.',
    defaultOptions: { ignoreColumns: [] },
    optionsSchema: { type: 'object', additionalProperties: false, properties: { ignoreColumns: { type: 'array', items: { type: 'string' } } } },
  },
  create(context) {
    const ignored = configNames(context.options.ignoreColumns);
    const tenantColumn = context.config.tenancy.column;
    const tenants = context.config.tenancy.tenantsTable;
    return {
      'run:end'() {
        const final = context.final;
        for (const table of final.tables) {
          if (table.persistence === 'temp') continue;
          const parent = table.partitionOf ? final.table(table.partitionOf) : undefined;
          for (const column of table.columns.values()) {
            const name = column.name;
            if (!name.endsWith('_id') || name === 'id') continue;
            if (ignored.has(name) || ignored.has(`${table.key}.${name}`) || ignored.has(`${table.name}.${name}`)) continue;
            const isTenant = name === tenantColumn;
            // A partition inherits its parent's foreign keys.
            const keys = [...table.foreignKeys, ...(parent?.foreignKeys ?? [])].filter((fk) => fk.columns.includes(name));
            if (keys.length && !(isTenant && keys.every((fk) => fk.columns.length === 1 && fk.refTable !== tenants))) continue;
            const file = context.fileAt(column.origin.file);
            if (!file) continue;
            const qualified = `${displayKey(table.key)}.${name}`;
            if (keys.length) {
              // tenant_id pointing at some other table: a composite key (tenant_id, x) to a tenant-scoped table is fine, this is not.
              context.report({
                file,
                offset: column.origin.offset,
                message: `${qualified} references ${keys.map((fk) => displayKey(fk.refTable)).join(', ')}, not the tenants table ${displayKey(tenants)}`,
                help: `reference the tenants table: \`FOREIGN KEY (${sqlIdent(name)}) REFERENCES ${tenants} (id)\`, or make it part of a composite key to a tenant-scoped table: \`FOREIGN KEY (${sqlIdent(name)}, <x>_id) REFERENCES <schema>.<x>s (${sqlIdent(name)}, id)\``,
              });
              continue;
            }
            const guess = name.slice(0, -'_id'.length);
            context.report({
              file,
              offset: column.origin.offset,
              message: `${qualified} has no foreign key`,
              help: isTenant
                ? `reference the tenants table: \`ALTER TABLE ${sqlKey(table.key)} ADD CONSTRAINT ${sqlIdent(`${table.name}_${name}_fkey`)} FOREIGN KEY (${sqlIdent(name)}) REFERENCES ${tenants} (id);\``
                : `add \`FOREIGN KEY (${isTenantScoped(table, tenantColumn) ? `${tenantColumn}, ` : ''}${sqlIdent(name)}) REFERENCES <schema>.${guess}s (${isTenantScoped(table, tenantColumn) ? `${tenantColumn}, ` : ''}id)\`; if it holds an external id, list it in the rule's ignoreColumns option: "require-fk-on-id": ["warn", { "ignoreColumns": ["${name}"] }]`,
            });
          }
        }
      },
    };
  },
});

function isTenantScoped(table: CatalogTable, tenantColumn: string): boolean {
  return table.columns.has(tenantColumn);
}
