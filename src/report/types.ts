import type { LintResult } from '../lint/types.js';

export interface FormatOptions {
  color: boolean;
  /** Hide shadow findings (stylish). */
  quiet: boolean;
  /** Working directory the relative paths in the result are relative to. */
  cwd: string;
  toolVersion: string;
  /** Rule documentation by rule id (SARIF `help`), loaded by the CLI so formatters stay pure. */
  ruleDocs?: ReadonlyMap<string, RuleDoc>;
}

/** A rule's documentation page: its markdown and where it can be read online. */
export interface RuleDoc {
  markdown: string;
  uri?: string;
}

/**
 * A formatter is a pure function from a lint result to the text written to stdout or --output.
 * `chunks`, when present, yields the same text in pieces, so a large report is written as it is
 * made instead of held whole in memory (twice: once as a string, once encoded for the write).
 */
export type Formatter = ((result: LintResult, options: FormatOptions) => string) & {
  chunks?: (result: LintResult, options: FormatOptions) => Iterable<string>;
};
