import { typeOf } from '../src/lint/ast.js';
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
  const parts = name.toLowerCase().split('_').filter(Boolean);
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
    const check = (column: string, typeName: AstNode, at: AstNode) => {
      const { type } = typeOf(typeName);
      const written = FLOAT_TYPES[type];
      // The money type is money by definition, whatever the column is called.
      if (!written || (type !== 'money' && !isMoneyName(column))) return;
      const cents = /(^|_)cents$/.test(column.toLowerCase());
      context.report({
        node: at,
        message: `${column} looks like money but is ${written}${type === 'money' ? ' (its rounding and format follow lc_monetary)' : ', which cannot hold 0.10 exactly'}`,
        help: cents ? `declare ${column} bigint (integer cents)` : `declare ${column} numeric(19,4) (or bigint cents in a *_cents column)`,
      });
    };
    return {
      ColumnDef(node) {
        if (node.colname && node.typeName) check(String(node.colname), node.typeName, node.typeName.location !== undefined ? node.typeName : node);
      },
      AlterTableCmd(node) {
        if (node.subtype === 'AT_AlterColumnType' && node.name && node.def?.ColumnDef?.typeName) check(String(node.name), node.def.ColumnDef.typeName, node.def.ColumnDef.typeName);
      },
    };
  },
});
