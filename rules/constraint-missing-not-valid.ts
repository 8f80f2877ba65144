import { alterCommands, liveAlteredTable, sqlIdent } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'constraint-missing-not-valid',
    level: 'warn',
    category: 'safety',
    summary: 'ADD FOREIGN KEY or CHECK to an existing table without NOT VALID; VALIDATE in the same file as the NOT VALID add.',
  },
  create(context) {
    // `table key / constraint name` added NOT VALID by the current file.
    const addedNotValid = new Set<string>();
    return {
      'file:start'() {
        addedNotValid.clear();
      },
      AlterTableStmt(node) {
        const live = liveAlteredTable(context, node);
        if (!live) return;
        const { key, table } = live;
        for (const cmd of alterCommands(node)) {
          if (cmd.subtype === 'AT_AddConstraint') {
            const con = cmd.def?.Constraint;
            if (!con || (con.contype !== 'CONSTR_FOREIGN' && con.contype !== 'CONSTR_CHECK')) continue;
            const name = con.conname ? String(con.conname) : undefined;
            if (con.skip_validation) {
              if (name) addedNotValid.add(`${key}/${name}`);
              continue;
            }
            // Postgres refuses NOT VALID foreign keys on partitioned tables; nothing better to suggest.
            if (con.contype === 'CONSTR_FOREIGN' && context.catalog.table(key)?.partitioned) continue;
            const kind = con.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
            const label = name ? `${kind} ${name}` : `a ${kind}`;
            context.report({
              node: con,
              message: `adding ${label} to ${table} scans every existing row under a lock that blocks writes${kind === 'FOREIGN KEY' ? ' on both tables' : ''}`,
              help: `add it with NOT VALID (\`ALTER TABLE ${table} ADD CONSTRAINT ${name ? sqlIdent(name) : '<name>'} ... NOT VALID\`), then in a later migration \`ALTER TABLE ${table} VALIDATE CONSTRAINT ${name ? sqlIdent(name) : '<name>'}\`, which does not block writes`,
            });
          } else if (cmd.subtype === 'AT_ValidateConstraint' && addedNotValid.has(`${key}/${cmd.name}`)) {
            context.report({
              wholeStatement: true,
              message: `VALIDATE CONSTRAINT ${cmd.name} on ${table} runs in the same transaction as its NOT VALID add, so the add's lock is held through the whole scan`,
              help: `move \`ALTER TABLE ${table} VALIDATE CONSTRAINT ${sqlIdent(String(cmd.name))}\` to a later migration file`,
            });
          }
        }
      },
    };
  },
});
