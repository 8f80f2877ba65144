import { names, altersTable, liveTableKey, writtenName } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';

/** Is this value a lock_timeout that actually limits the wait (0 disables it)? */
function limits(arg: AstNode): boolean {
  const value = arg?.A_Const;
  if (!value) return true;
  if (value.ival !== undefined) return Number(value.ival.ival ?? 0) > 0;
  if (value.sval !== undefined) return !/^\s*0+\s*(ms|s|min)?\s*$/i.test(String(value.sval.sval ?? ''));
  return true;
}

export default createRule({
  meta: {
    id: 'require-lock-timeout',
    level: 'shadow',
    category: 'safety',
    summary: 'A lock-taking ALTER TABLE on an existing table with no lock_timeout in force.',
  },
  create(context) {
    let covered = false;
    let reported = false;
    return {
      'file:start'() {
        // The runner sets lock_timeout itself when the config has one.
        covered = context.config.lockTimeout !== undefined && context.config.lockTimeout !== 0 && context.config.lockTimeout !== '0';
        reported = false;
      },
      VariableSetStmt(node) {
        if (String(node.name).toLowerCase() !== 'lock_timeout') return;
        if (node.kind === 'VAR_SET_VALUE') covered = limits(node.args?.[0]);
        else if (node.kind === 'VAR_RESET' || node.kind === 'VAR_SET_DEFAULT') covered = context.config.lockTimeout !== undefined;
      },
      FuncCall(node) {
        // SELECT set_config('lock_timeout', '5s', true)
        if (names(node.funcname).at(-1)?.toLowerCase() !== 'set_config') return;
        if (String(node.args?.[0]?.A_Const?.sval?.sval ?? '').toLowerCase() === 'lock_timeout') covered = limits(node.args?.[1]);
      },
      AlterTableStmt(node, { statement }) {
        if (covered || reported || statement.node !== node || !altersTable(node)) return;
        if (!liveTableKey(context, node.relation)) return;
        reported = true;
        const table = writtenName(node.relation);
        context.report({
          wholeStatement: true,
          message: `ALTER TABLE ${table} waits for its lock with no lock_timeout: while it queues behind a long query, every other query on ${table} queues behind it`,
          help: "put `SET lock_timeout = '5s';` at the top of the file (and retry on timeout), or set `lockTimeout` in the aibos config so the runner sets it",
        });
      },
    };
  },
});
