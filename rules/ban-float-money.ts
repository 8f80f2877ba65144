import { names, sqlIdent, typeOf } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';

/** Name parts that mark a column as holding money. */
const MONEY_WORDS = new Set([
  'amount', 'amounts', 'amt', 'price', 'prices', 'cost', 'costs', 'total', 'subtotal', 'balance', 'balances', 'fee', 'fees',
  'cents', 'money', 'tax', 'vat', 'salary', 'wage', 'wages', 'payment', 'revenue', 'discount', 'charge', 'charges', 'refund',
  'credit', 'debit', 'budget', 'spend', 'income', 'expense', 'payout', 'commission', 'tip', 'deposit', 'fare', 'premium',
]);
/** `rate` alone is ambiguous (`error_rate`): it is money only next to one of these. */
const RATE_CONTEXT = new Set(['fx', 'exchange', 'tax', 'vat', 'interest', 'commission', 'hourly', 'daily', 'billing', 'conversion', 'unit', 'discount']);

/** Parts that make a money word describe a ratio or a score instead (`tax_percent`, `credit_score`). */
const NOT_MONEY = new Set(['score', 'ratio', 'percent', 'pct', 'percentage', 'count', 'weight', 'factor', 'multiplier']);

const FLOAT_TYPES: Record<string, string> = { float4: 'real', float8: 'double precision', money: 'money' };

export function isMoneyName(name: string): boolean {
  // `total_price`, and a quoted `"TotalPrice"` read as total_price.
  const parts = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split('_').filter(Boolean);
  if (parts.some((p) => NOT_MONEY.has(p))) return false;
  if (parts.some((p) => MONEY_WORDS.has(p))) return true;
  if (parts.includes('rate')) return parts.length === 1 || parts.some((p) => RATE_CONTEXT.has(p));
  return false;
}

export default createRule({
  meta: {
    id: 'ban-float-money',
    level: 'block',
    category: 'governance',
    summary: 'real, double precision, float or money for a money-like column (amount, price, cost, total, balance, fee, rate, *_cents…).',
  },
  create(context) {
    /** Domains over a float or money type, by name (`CREATE DOMAIN price AS double precision`): their base type. */
    const domains = new Map<string, string>();
    const check = (column: string, typeName: AstNode, at: AstNode) => {
      const declared = typeOf(typeName).type;
      const domain = domains.get(declared);
      const type = domain ?? declared;
      const written = FLOAT_TYPES[type];
      // The money type is money by definition, whatever the column is called.
      if (!written || (type !== 'money' && !isMoneyName(column))) return;
      const cents = /(^|_)cents$/.test(column.toLowerCase());
      const is = domain ? `${written} (through the domain ${declared})` : written;
      context.report({
        node: at,
        message: `${column} looks like money but is ${is}${type === 'money' ? ' (its rounding and format follow lc_monetary)' : ', which cannot hold 0.10 exactly'}`,
        help: cents ? `declare ${sqlIdent(column)} bigint (integer cents)` : `declare ${sqlIdent(column)} numeric(19,4) (or bigint cents in a *_cents column)`,
      });
    };
    return {
      CreateDomainStmt(node) {
        const base = typeOf(node.typeName).type;
        const name = names(node.domainname).at(-1);
        if (name && FLOAT_TYPES[domains.get(base) ?? base]) domains.set(name.toLowerCase(), domains.get(base) ?? base);
      },
      // CREATE TABLE ... AS SELECT 1.5::float8 AS amount: the cast gives the column its type.
      CreateTableAsStmt(node) {
        for (const target of node.query?.SelectStmt?.targetList ?? []) {
          const rt = target.ResTarget;
          const cast = rt?.val?.TypeCast;
          const column = rt?.name ?? names(rt?.val?.ColumnRef?.fields).at(-1);
          if (cast?.typeName && column) check(String(column), cast.typeName, cast.typeName.location !== undefined ? cast.typeName : rt);
        }
      },
      ColumnDef(node) {
        if (node.colname && node.typeName) check(String(node.colname), node.typeName, node.typeName.location !== undefined ? node.typeName : node);
      },
      AlterTableCmd(node) {
        if (node.subtype === 'AT_AlterColumnType' && node.name && node.def?.ColumnDef?.typeName) check(String(node.name), node.def.ColumnDef.typeName, node.def.ColumnDef.typeName);
      },
    };
  },
});
