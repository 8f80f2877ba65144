import { displayKey } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'ban-drop-column',
    level: 'block',
    category: 'governance',
    summary: 'ALTER TABLE … DROP COLUMN (the standard asks for deprecation instead).',
  },
  create(context) {
    // `table.column` added by this file, also for tables the history does not know (created outside it).
    let added = new Set<string>();
    return {
      'file:start'() {
        added = new Set();
      },
      AlterTableStmt(node, info) {
        if (context.file.role === 'down' || info.statement.node !== node) return;
        if (node.objtype && node.objtype !== 'OBJECT_TABLE') return;
        const key = context.catalog.keyOf(node.relation ?? {});
        if (key.startsWith('pg_temp.') || context.createdInFile(key)) return;
        const table = context.catalog.table(key);
        for (const item of node.cmds ?? []) {
          const cmd = item.AlterTableCmd;
          if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef?.colname) added.add(`${key}.${String(cmd.def.ColumnDef.colname).toLowerCase()}`);
          if (cmd?.subtype !== 'AT_DropColumn' || !cmd.name) continue;
          const column = String(cmd.name).toLowerCase();
          if (added.has(`${key}.${column}`)) continue;
          // Added earlier in this same file: nothing was ever stored in it.
          if (table?.columns.get(column)?.origin.file === context.file.relPath) continue;
          context.report({
            offset: info.statement.start,
            message: `DROP COLUMN ${displayKey(key)}.${column} destroys data and breaks every reader still selecting it`,
            help: `deprecate it instead: stop writing it, \`COMMENT ON COLUMN ${key}.${column} IS 'deprecated: <date>, use …'\`, and drop it in a reviewed cleanup once nothing reads it`,
          });
        }
      },
    };
  },
});
