import type { LintResult } from '../lint/types.js';

export interface FormatOptions {
  color: boolean;
  /** Hide shadow findings (stylish). */
  quiet: boolean;
  /** Working directory the relative paths in the result are relative to. */
  cwd: string;
  toolVersion: string;
}

/** A formatter is a pure function from a lint result to the text written to stdout or --output. */
export type Formatter = (result: LintResult, options: FormatOptions) => string;
