/** AST helpers shared by rules: reading names and types out of libpg-query nodes. */
import { dropObjectNames, names, qualify, typeOf } from '../catalog/catalog.js';
import type { CatalogTable } from '../catalog/model.js';
import type { AstNode, RuleContext } from './types.js';

export { dropObjectNames, names, qualify, typeOf };

/** `schema.name` as written, or undefined schema when unqualified. */
export function rangeVarName(rv: AstNode): { schema?: string; name: string } {
  return { schema: rv?.schemaname ? String(rv.schemaname).toLowerCase() : undefined, name: String(rv?.relname ?? '').toLowerCase() };
}

export function displayKey(key: string): string {
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

/**
 * Tables the tenancy rules ignore: configured global tables, TEMP tables, and
 * partitions whose parent satisfies `compliant` (the parent carries the rule).
 */
export function tenancyExempt(context: RuleContext<unknown>, table: CatalogTable, compliant: (t: CatalogTable) => boolean): boolean {
  if (table.persistence === 'temp' || context.isGlobalTable(table.key)) return true;
  if (table.partitionOf) {
    const parent = context.catalog.table(table.partitionOf);
    if (!parent || compliant(parent)) return true;
  }
  return false;
}


/** Bookkeeping columns every table carries; they say nothing about what a table is. */
export const AUDIT_COLUMNS = new Set(['id', 'tenant_id', 'created_at', 'updated_at', 'deleted_at']);

/** English singular of a lower-case table-name word: `categories` -> `category`, `boxes` -> `box`, `users` -> `user`. */
export function singular(word: string): string {
  // Memoised: rules call it for every table at every file's end (a third of a corpus lint's time).
  let result = singulars.get(word);
  if (result === undefined) {
    result = singularOf(word);
    singulars.set(word, result);
  }
  return result;
}

const singulars = new Map<string, string>();

function singularOf(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

