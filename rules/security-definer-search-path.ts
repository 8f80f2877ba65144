import { joinedName } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';

function option(node: AstNode, name: string): AstNode[] {
  return (node.options ?? []).map((o: AstNode) => o?.DefElem).filter((d: AstNode) => d?.defname === name);
}

export default createRule({
  meta: {
    id: 'security-definer-search-path',
    level: 'block',
    category: 'safety',
    summary: 'A SECURITY DEFINER function without `SET search_path`.',
  },
  create(context) {
    /** What the history says of each function (by name, lower case): SECURITY DEFINER, and whether search_path is pinned. */
    const known = new Map<string, { definer?: boolean; pinned?: boolean }>();
    const report = (what: string, name: string, message: string, fix: string) =>
      context.report({
        wholeStatement: true,
        message: `SECURITY DEFINER ${what} ${name} ${message}: a caller can shadow the objects it uses and run code with its owner's rights`,
        help: `${fix} and schema-qualify every object in its body`,
      });
    return {
      CreateFunctionStmt(node) {
        const definer = option(node, 'security').some((d) => d.arg?.Boolean?.boolval === true);
        const pinned = option(node, 'set').some((d) => String(d.arg?.VariableSetStmt?.name ?? '').toLowerCase() === 'search_path');
        const name = joinedName(node.funcname);
        known.set(name.toLowerCase(), { definer, pinned });
        if (!definer || pinned) return;
        const what = node.is_procedure ? 'procedure' : 'function';
        report(what, name, 'does not pin search_path', `add \`SET search_path = pg_catalog, pg_temp\` (or \`= ''\`) to the ${what} definition`);
      },
      // ALTER FUNCTION ... SECURITY DEFINER, or ... RESET search_path on one that is: the same hole, opened later.
      AlterFunctionStmt(node) {
        const name = joinedName(node.func?.objname);
        const before = known.get(name.toLowerCase()) ?? {};
        const state = { ...before };
        for (const action of node.actions ?? []) {
          const d = action?.DefElem;
          if (d?.defname === 'security') state.definer = d.arg?.Boolean?.boolval === true;
          const set = d?.defname === 'set' ? d.arg?.VariableSetStmt : undefined;
          if (set && (set.kind === 'VAR_RESET_ALL' || String(set.name ?? '').toLowerCase() === 'search_path')) state.pinned = set.kind === 'VAR_SET_VALUE' || set.kind === 'VAR_SET_CURRENT';
        }
        known.set(name.toLowerCase(), state);
        const what = node.objtype === 'OBJECT_PROCEDURE' ? 'procedure' : 'function';
        const fix = `pin it in the same statement: \`ALTER ${what.toUpperCase()} ${name}(...) SET search_path = pg_catalog, pg_temp\``;
        if (state.definer && before.definer !== true && state.pinned !== true) report(what, name, 'does not pin search_path', fix);
        else if (state.definer && before.pinned === true && state.pinned === false) report(what, name, 'loses its pinned search_path here', `keep search_path pinned (drop the RESET), or ${fix}`);
      },
    };
  },
});
