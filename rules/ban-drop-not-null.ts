import { alterCommands, liveAlteredTable } from '../src/lint/ast.js';
import { createRule, type AstNode, type MigrationFile } from '../src/lint/types.js';

/** `table.column`s the up file sets NOT NULL on or adds: its down may drop NOT NULL on them again. */
function upNotNulls(up: MigrationFile | undefined, keyOf: (rv: AstNode) => string): Set<string> {
  const out = new Set<string>();
  for (const stmt of up?.parsed.statements ?? []) {
    if (stmt.kind !== 'AlterTableStmt' || !stmt.node.relation) continue;
    const key = keyOf(stmt.node.relation);
    for (const cmd of alterCommands(stmt.node)) {
      if (cmd.subtype === 'AT_SetNotNull') out.add(`${key}.${String(cmd.name)}`);
      if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) out.add(`${key}.${String(cmd.def.ColumnDef.colname)}`);
    }
  }
  return out;
}

export default createRule({
  meta: {
    id: 'ban-drop-not-null',
    level: 'warn',
    category: 'safety',
    summary: 'ALTER COLUMN … DROP NOT NULL: readers that rely on the column being set start seeing NULLs.',
  },
  create(context) {
    let reverted: Set<string> | undefined;
    return {
      'file:start'() {
        reverted = undefined;
      },
      AlterTableStmt(node) {
        const live = liveAlteredTable(context, node);
        if (!live) return;
        const { key, table } = live;
        for (const cmd of alterCommands(node)) {
          if (cmd.subtype !== 'AT_DropNotNull') continue;
          const column = String(cmd.name);
          if (context.file.role === 'down') {
            reverted ??= upNotNulls(context.file.pair, (rv) => context.catalog.keyOf(rv));
            if (reverted.has(`${key}.${column}`)) continue;
          }
          context.report({
            wholeStatement: true,
            message: `DROP NOT NULL on ${table}.${cmd.name}: code and reports that assume it is always set start receiving NULLs`,
            help: `keep the column NOT NULL and give new rows a default, or make sure every reader of ${table}.${cmd.name} handles NULL before dropping the constraint (and acknowledge it here)`,
          });
        }
      },
    };
  },
});
