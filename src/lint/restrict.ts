import type { Diagnostic, LintResult, LintSummary } from './types.js';

/** A finding with DESIGN §3's fields only, in its order (help '' when the rule gave none). */
export function reportFields(d: Diagnostic): Diagnostic {
  return { ruleId: d.ruleId, level: d.level, message: d.message, help: d.help ?? '', file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, acknowledged: d.acknowledged };
}

/** The summary of DESIGN §3 for a list of findings. */
export function summarize(diagnostics: Diagnostic[], files: number): LintSummary {
  const summary = { files, block: 0, warn: 0, shadow: 0, acknowledged: 0, failed: false };
  for (const d of diagnostics) {
    if (d.acknowledged) summary.acknowledged++;
    else summary[d.level]++;
  }
  summary.failed = summary.block + summary.warn > 0;
  return summary;
}

/**
 * Drops the findings on the given files (relative paths) and recounts. `lint --staged` lints the
 * whole staged history for context but reports only what the commit touches, so a commit is not
 * refused for findings in migrations it leaves alone.
 */
export function withoutFindingsOn(result: LintResult, untouched: Set<string>): LintResult {
  const diagnostics = result.diagnostics.filter((d) => !untouched.has(d.file));
  return { ...result, diagnostics, summary: summarize(diagnostics, result.summary.files) };
}
