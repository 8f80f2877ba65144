import { displayKey, alterCommands, altersTable, columnsAddedInFile, nameOffset, sqlIdent, sqlKey } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'ban-drop-column',
    level: 'block',
    category: 'governance',
    summary: 'ALTER TABLE … DROP COLUMN (the standard asks for deprecation instead).',
  },
  create(context) {
    const added = columnsAddedInFile(context);
    return {
      AlterTableStmt(node, info) {
        if (context.file.role === 'down' || info.statement.node !== node || !altersTable(node)) return;
        const key = context.catalog.keyOf(node.relation ?? {});
        if (key.startsWith('pg_temp.') || context.createdInFile(key)) return;
        for (const cmd of alterCommands(node)) {
          added.note(key, cmd);
          if (cmd.subtype !== 'AT_DropColumn' || !cmd.name) continue;
          const column = String(cmd.name);
          // Added earlier in this same file: nothing was ever stored in it.
          if (added.has(key, column)) continue;
          context.report({
            offset: nameOffset(context, info.statement, cmd.name, node.relation?.location),
            message: `DROP COLUMN ${displayKey(key)}.${column} destroys data and breaks every reader still selecting it`,
            help: `deprecate it instead: stop writing it, \`COMMENT ON COLUMN ${sqlKey(key)}.${sqlIdent(column)} IS 'deprecated: <date>, use ...'\`, and drop it in a reviewed cleanup once nothing reads it`,
          });
        }
      },
    };
  },
});
