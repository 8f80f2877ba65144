import { complianceLost, displayKey, tenancyExempt } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';
import type { CatalogColumn, CatalogTable } from '../src/catalog/model.js';

const REQUIRED = ['created_at', 'updated_at'];

function problem(column: CatalogColumn | undefined): string | undefined {
  if (!column) return 'missing';
  const issues = [];
  if (column.type !== 'timestamptz' && column.type !== 'unknown') issues.push(`is ${column.type}, not timestamptz`);
  if (!column.notNull) issues.push('is nullable');
  if (column.default === undefined) issues.push('has no default');
  return issues.length ? issues.join(', ') : undefined;
}

export default createRule({
  meta: {
    id: 'require-timestamps',
    level: 'block',
    category: 'governance',
    summary: 'A permanent table without created_at and updated_at (timestamptz, NOT NULL, with a default) by the end of the file.',
  },
  create(context) {
    const compliant = (t: CatalogTable) => REQUIRED.every((c) => problem(t.columns.get(c)) === undefined);
    const lost = complianceLost(context, compliant);
    return {
      AlterTableStmt: lost.note,
      RenameStmt: lost.note,
      'file:end'() {
        if (context.file.role !== 'up') return;
        for (const { table, offset } of lost.check()) {
          const issues = REQUIRED.map((c) => [c, problem(table.columns.get(c))] as const).filter(([, issue]) => issue !== undefined);
          context.report({
            offset,
            message: `${displayKey(table.key)}: ${issues.map(([c, issue]) => `${c} ${issue === 'missing' ? 'is gone' : issue}`).join('; ')} after this change`,
            help: `keep ${REQUIRED.map((c) => `\`${c} timestamptz NOT NULL DEFAULT now()\``).join(' and ')} on every table`,
          });
        }
        for (const table of context.tablesCreatedInFile()) {
          if (tenancyExempt(context, table, compliant)) continue;
          const name = displayKey(table.key);
          const missing = REQUIRED.filter((c) => !table.columns.has(c));
          if (missing.length) {
            context.report({
              offset: table.origin.offset,
              message: `table ${name} has no ${missing.join(' or ')} column`,
              help: `add ${missing.map((c) => `\`${c} timestamptz NOT NULL DEFAULT now()\``).join(' and ')}`,
            });
          }
          for (const c of REQUIRED) {
            const column = table.columns.get(c);
            const issue = column && problem(column);
            if (column && issue)
              context.report({ offset: column.origin.offset, message: `${name}.${c} ${issue}`, help: `declare it \`${c} timestamptz NOT NULL DEFAULT now()\`` });
          }
        }
      },
    };
  },
});
