import { displayKey, typeOf, alterCommands, altersTable, nameOffset } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

/** `numeric(20,4)`, `text[]`: enough to tell two types apart in a message. */
function typeLabel(t: { type: string; typmods: number[]; isArray: boolean }): string {
  return `${t.type}${t.typmods.length ? `(${t.typmods.join(',')})` : ''}${t.isArray ? '[]' : ''}`;
}

export default createRule({
  meta: {
    id: 'review-alter-column-type',
    level: 'warn',
    category: 'governance',
    summary: 'ALTER COLUMN … TYPE on an existing table (the standard requires DBA review).',
  },
  create(context) {
    return {
      AlterTableStmt(node, info) {
        if (info.statement.node !== node || !altersTable(node)) return;
        const key = context.catalog.keyOf(node.relation ?? {});
        if (key.startsWith('pg_temp.') || context.createdInFile(key)) return;
        if (context.file.role === 'down' && context.createdByUp(key)) return;
        const table = context.catalog.table(key);
        for (const cmd of alterCommands(node)) {
          if (cmd.subtype !== 'AT_AlterColumnType' || !cmd.name) continue;
          // Also a column added earlier in this file: the rewrite covers the whole table, empty column or not.
          const column = String(cmd.name);
          const existing = table?.columns.get(column);
          const from = existing && typeLabel(existing);
          const to = typeLabel(typeOf(cmd.def?.ColumnDef?.typeName));
          context.report({
            offset: nameOffset(context, info.statement, cmd.name, node.relation?.location),
            message: `${displayKey(key)}.${column} changes type${from ? ` from ${from}` : ''} to ${to}: most type changes rewrite the table under an ACCESS EXCLUSIVE lock and can fail on existing rows`,
            help: 'get a DBA review, then acknowledge it above the statement: `-- aibos-ack review-alter-column-type: <reviewer, why it is safe>`; for a big table add a new column, backfill, and switch readers instead',
          });
        }
      },
    };
  },
});
