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
    return {
      CreateFunctionStmt(node) {
        const definer = option(node, 'security').some((d) => d.arg?.Boolean?.boolval === true);
        if (!definer) return;
        const pinned = option(node, 'set').some((d) => String(d.arg?.VariableSetStmt?.name ?? '').toLowerCase() === 'search_path');
        if (pinned) return;
        const name = joinedName(node.funcname);
        const what = node.is_procedure ? 'procedure' : 'function';
        context.report({
          wholeStatement: true,
          message: `SECURITY DEFINER ${what} ${name} does not pin search_path: a caller can shadow the objects it uses and run code with its owner's rights`,
          help: `add \`SET search_path = pg_catalog, pg_temp\` (or \`= ''\`) to the ${what} definition and schema-qualify every object in its body`,
        });
      },
    };
  },
});
