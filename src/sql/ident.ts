/** Spelling identifiers in SQL text. */

/** An identifier double-quoted, whatever it holds: for the SQL aibos runs itself. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** An identifier as a person would write it: bare when Postgres reads it back the same, else quoted. */
export function sqlIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdent(name);
}

/**
 * A string as an SQL literal, for the bookkeeping queries aibos sends in one flight: postgres.js sends a
 * query with parameters in two round trips the first time (it asks the server for their types), and
 * holds back the queries behind it until then.
 */
export function quoteLiteral(value: string): string {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  // Read the same whatever standard_conforming_strings says.
  return value.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
