import type { Diagnostic } from '../lint/types.js';
import type { Formatter } from './types.js';

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the pull request's
 * diff. block -> `::error`, warn -> `::warning`, shadow -> `::notice`. Acknowledged findings are
 * left out: they were reviewed, and an annotation asks for attention (SARIF keeps them, suppressed).
 */
const COMMAND = { block: 'error', warn: 'warning', shadow: 'notice' } as const;

/** Message data: `%`, CR and LF would end or corrupt the command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also must not contain the `:` and `,` that separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(d: Diagnostic): string {
  const props = [
    `file=${escapeProperty(d.file)}`,
    `line=${d.line}`,
    `col=${d.column}`,
    `endLine=${d.endLine}`,
    `endColumn=${d.endColumn}`,
    `title=${escapeProperty(d.ruleId)}`,
  ].join(',');
  const body = d.help ? `${d.message}\nhelp: ${d.help}` : d.message;
  return `::${COMMAND[d.level]} ${props}::${escapeData(body)}`;
}

export const formatGithub: Formatter = (result, options) => {
  const lines = result.diagnostics.filter((d) => !d.acknowledged && !(options.quiet && d.level === 'shadow')).map(annotation);
  const s = result.summary;
  const counts = `${s.block} block, ${s.warn} warn, ${s.shadow} shadow, ${s.acknowledged} acknowledged`;
  // A plain line for the log: annotations only show up on the diff and the run summary.
  lines.push(`aibos lint: ${s.failed ? 'failed' : 'passed'} — ${s.files} file${s.files === 1 ? '' : 's'} (${counts})`);
  return lines.join('\n') + '\n';
};
