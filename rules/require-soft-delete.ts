import { displayKey, rangeVarName, sqlKey, tenancyExempt } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogTable } from '../src/catalog/model.js';

const COLUMN = 'deleted_at';

function problem(table: CatalogTable): string | undefined {
  const column = table.columns.get(COLUMN);
  if (!column) return 'missing';
  const issues = [];
  if (column.type !== 'timestamptz' && column.type !== 'unknown') issues.push(`is ${column.type}, not timestamptz`);
  if (column.notNull) issues.push('is NOT NULL (a live row has no deletion time)');
  return issues.length ? issues.join(' and ') : undefined;
}

export default createRule({
  meta: {
    id: 'require-soft-delete',
    level: 'warn',
    category: 'governance',
    summary: 'A table in a soft-delete schema (default: finance) without a nullable deleted_at timestamptz; a DELETE FROM such a table.',
  },
  create(context) {
    const softDelete = (schema: string) => context.config.schemas[schema]?.softDelete === true;
    return {
      DeleteStmt(node, info) {
        // A down file removes what its up added (seed rows included): that is its job.
        // Also a DELETE inside a WITH (`WITH gone AS (DELETE FROM ... RETURNING ...) ...`); not a rule's action.
        if (context.file.role !== 'up' || info.statement.kind === 'RuleStmt') return;
        const { schema } = rangeVarName(node.relation);
        const key = context.catalog.keyOf(node.relation ?? {});
        if (!schema || !softDelete(schema) || key.startsWith('pg_temp.')) return;
        context.report({
          node: node.relation,
          message: `DELETE FROM ${displayKey(key)}: ${schema} keeps business data with soft deletes`,
          help: `mark the rows instead: \`UPDATE ${sqlKey(key)} SET ${COLUMN} = now() WHERE ...\``,
        });
      },
      'file:end'() {
        if (context.file.role !== 'up') return;
        for (const table of context.tablesCreatedInFile()) {
          if (!softDelete(table.schema)) continue;
          if (tenancyExempt(context, table, (t) => problem(t) === undefined)) continue;
          const issue = problem(table);
          if (!issue) continue;
          const name = displayKey(table.key);
          const column = table.columns.get(COLUMN);
          context.report({
            offset: column ? column.origin.offset : table.origin.offset,
            message: issue === 'missing' ? `table ${name} has no ${COLUMN} column (schema ${table.schema} uses soft deletes)` : `${name}.${COLUMN} ${issue}`,
            help: `declare \`${COLUMN} timestamptz\` (nullable, no default): rows are marked deleted, never removed`,
          });
        }
      },
    };
  },
});
