/** Spelling identifiers in SQL text. */

/** An identifier double-quoted, whatever it holds: for the SQL aibos runs itself. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** An identifier as a person would write it: bare when Postgres reads it back the same, else quoted. */
export function sqlIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdent(name);
}
