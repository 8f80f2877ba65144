import type { Diagnostic, LintResult, LintSummary } from './types.js';

/** The summary of DESIGN §3 for a list of findings. */
export function summarize(diagnostics: Diagnostic[], files: number): LintSummary {
  const count = (level: Diagnostic['level']) => diagnostics.filter((d) => d.level === level && !d.acknowledged).length;
  return {
    files,
    block: count('block'),
    warn: count('warn'),
    shadow: count('shadow'),
    acknowledged: diagnostics.filter((d) => d.acknowledged).length,
    failed: diagnostics.some((d) => !d.acknowledged && (d.level === 'block' || d.level === 'warn')),
  };
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
