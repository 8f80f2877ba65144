import { displayKey, names, sqlKey } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';
import type { CatalogPolicy, CatalogTable } from '../src/catalog/model.js';

const isColumn = (e: AstNode, column: string) => {
  const fields = names(e?.ColumnRef?.fields);
  return fields.length > 0 && fields[fields.length - 1] === column;
};

/** Does `e` mention a column at all (a comparison with another column, not with the session's tenant)? */
function mentionsColumn(e: AstNode): boolean {
  if (e === null || typeof e !== 'object') return false;
  if (e.ColumnRef) return true;
  if (e.SubLink) return false;
  return Object.values(e).some(mentionsColumn);
}

/**
 * True when every row the expression admits has its tenant column compared to something outside the row:
 * `tenant_id = <setting>` (either side), `tenant_id IN (…)`, `tenant_id = ANY(…)`, combined with AND (one
 * such conjunct is enough) or OR (every branch needs one).
 */
export function comparesTenant(e: AstNode, column: string): boolean {
  if (!e) return false;
  if (e.BoolExpr) {
    const args: AstNode[] = e.BoolExpr.args ?? [];
    if (e.BoolExpr.boolop === 'AND_EXPR') return args.some((a) => comparesTenant(a, column));
    if (e.BoolExpr.boolop === 'OR_EXPR') return args.length > 0 && args.every((a) => comparesTenant(a, column));
    return false;
  }
  if (e.A_Expr) {
    const { kind, lexpr, rexpr } = e.A_Expr;
    const op = names(e.A_Expr.name)[0];
    if ((kind === 'AEXPR_OP' && op === '=') || kind === 'AEXPR_OP_ANY' || kind === 'AEXPR_IN') {
      if (isColumn(lexpr, column)) return rexpr !== undefined && !mentionsColumn(rexpr);
      if (kind === 'AEXPR_OP' && isColumn(rexpr, column)) return !mentionsColumn(lexpr);
    }
    return false;
  }
  if (e.SubLink) return e.SubLink.subLinkType === 'ANY_SUBLINK' && isColumn(e.SubLink.testexpr, column);
  return false;
}

const isTrue = (e: AstNode) => e?.A_Const?.boolval?.boolval === true || (e?.TypeCast && ['t', 'true'].includes(e.TypeCast.arg?.A_Const?.sval?.sval));

/** `true`, and what is as open as it: `1 = 1`, `'a' = 'a'`, `true OR ...`, `true AND true`. */
function alwaysTrue(e: AstNode): boolean {
  if (!e) return false;
  if (isTrue(e)) return true;
  if (e.BoolExpr) {
    const args: AstNode[] = e.BoolExpr.args ?? [];
    if (e.BoolExpr.boolop === 'OR_EXPR') return args.some(alwaysTrue);
    if (e.BoolExpr.boolop === 'AND_EXPR') return args.length > 0 && args.every(alwaysTrue);
    return false;
  }
  const a = e.A_Expr;
  if (a?.kind !== 'AEXPR_OP' || names(a.name)[0] !== '=' || !a.lexpr?.A_Const || !a.rexpr?.A_Const) return false;
  const value = (c: AstNode) => JSON.stringify({ ...c.A_Const, location: undefined });
  return value(a.lexpr) === value(a.rexpr);
}

/** `a, b and c`. */
const listed = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? ''));

export default createRule({
  meta: {
    id: 'require-rls',
    level: 'warn',
    category: 'governance',
    summary: 'A tenant table without ENABLE and FORCE ROW LEVEL SECURITY and a policy comparing tenant_id by the end of the history; a policy USING (true).',
  },
  create(context) {
    const column = context.config.tenancy.column;
    const isolates = (p: CatalogPolicy) => comparesTenant(p.using, column) && (p.withCheck === undefined || comparesTenant(p.withCheck, column));
    // INSERT policies have WITH CHECK only.
    const isolatesInsert = (p: CatalogPolicy) => p.command === 'insert' && p.using === undefined && comparesTenant(p.withCheck, column);
    const compliant = (t: CatalogTable) => t.rlsEnabled && t.rlsForced && t.policies.some((p) => isolates(p) || isolatesInsert(p));
    return {
      'run:end'() {
        const final = context.final;
        for (const table of final.tables) {
          if (table.persistence === 'temp' || context.isGlobalTable(table.key) || !table.columns.has(column)) continue;
          if (table.partitionOf) {
            const parent = final.table(table.partitionOf);
            if (!parent || compliant(parent)) continue;
          }
          const name = displayKey(table.key);
          for (const policy of table.policies) {
            // An open USING lets every tenant read (and change) every row; an open WITH CHECK lets a tenant write rows as any other.
            const clause = alwaysTrue(policy.using) ? 'USING' : alwaysTrue(policy.withCheck) ? 'WITH CHECK' : undefined;
            const file = clause && context.fileAt(policy.origin.file);
            if (!clause || !file) continue;
            const expression = isTrue(clause === 'USING' ? policy.using : policy.withCheck) ? `${clause} (true)` : `a ${clause} that is always true`;
            const effect = clause === 'USING' ? 'every tenant sees every row' : "a tenant can write rows into every other tenant's data";
            context.report({
              file,
              offset: policy.origin.offset,
              message: `policy ${policy.name} on ${name} has ${expression}: ${effect} (permissive policies are OR-ed)`,
              help: `compare the tenant: \`${clause} (${column} = NULLIF(current_setting('app.tenant_id', true), '')::uuid)\``,
            });
          }
          if (compliant(table)) continue;
          const file = context.fileAt(table.origin.file);
          if (!file) continue;
          const missing: string[] = [];
          const fixes: string[] = [];
          if (!table.rlsEnabled) {
            missing.push('ENABLE ROW LEVEL SECURITY');
            fixes.push(`ALTER TABLE ${sqlKey(table.key)} ENABLE ROW LEVEL SECURITY;`);
          }
          if (!table.rlsForced) {
            missing.push('FORCE ROW LEVEL SECURITY');
            fixes.push(`ALTER TABLE ${sqlKey(table.key)} FORCE ROW LEVEL SECURITY;`);
          }
          if (!table.policies.some((p) => isolates(p) || isolatesInsert(p))) {
            missing.push(`a policy comparing ${column}`);
            fixes.push(`CREATE POLICY tenant_isolation ON ${sqlKey(table.key)} USING (${column} = NULLIF(current_setting('app.tenant_id', true), '')::uuid);`);
          }
          context.report({
            file,
            offset: table.origin.offset,
            message: `tenant table ${name} lacks ${listed(missing)} by the end of the migrations`,
            help: `\`${fixes.join(' ')}\``,
          });
        }
      },
    };
  },
});
