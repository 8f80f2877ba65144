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

/** A formatter is a pure function from a lint result to the text written to stdout or --output. */
export type Formatter = (result: LintResult, options: FormatOptions) => string;
