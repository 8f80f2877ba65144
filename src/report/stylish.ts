import { palette, type Palette } from './ansi.js';
import type { Diagnostic } from '../lint/types.js';
import type { Formatter } from './types.js';

const MAX_FRAME_LINES = 6;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * rustc/squawk-style code frames: the finding's lines with a caret line under
 * the span, the message, a help line and where to read about the rule.
 */
export const formatStylish: Formatter = (result, options) => {
  const c = palette(options.color);
  const out: string[] = [];
  const shown = result.diagnostics.filter((d) => !(options.quiet && d.level === 'shadow'));
  for (const d of shown) {
    if (d.acknowledged) {
      // Reviewed exceptions: one line each, so they stay visible without drowning what fails.
      out.push(c.dim(`acknowledged[${d.ruleId}] ${d.file}:${d.line}:${d.column}: ${d.message} — ${d.ackReason ?? ''}`));
      continue;
    }
    // (Acknowledged findings took the one-line branch above.)
    const paint = (s: string) => (d.level === 'shadow' ? c.dim(s) : s);
    const label = d.level === 'block' ? c.redBold(`block[${d.ruleId}]`) : d.level === 'warn' ? c.yellowBold(`warn[${d.ruleId}]`) : c.dim(`shadow[${d.ruleId}]`);
    out.push(`${label}${paint(`: ${d.message}`)}`);
    const gutter = String(Math.min(d.endLine, d.line + MAX_FRAME_LINES)).length;
    const pad = ' '.repeat(gutter);
    out.push(`${pad}${c.blue('-->')} ${d.file}:${d.line}:${d.column}`);
    const source = result.sources.get(d.file)?.parsed.source;
    if (source && d.line <= source.lineCount) {
      out.push(`${pad} ${c.blue('|')}`);
      const last = Math.min(d.endLine, source.lineCount);
      const lines: number[] = [];
      for (let l = d.line; l <= last; l++) lines.push(l);
      const visible = lines.length > MAX_FRAME_LINES ? [...lines.slice(0, MAX_FRAME_LINES - 2), -1, ...lines.slice(-1)] : lines;
      for (const l of visible) {
        if (l === -1) {
          out.push(`${pad} ${c.blue('|')} ${c.dim('...')}`);
          continue;
        }
        const text = source.lineText(l).replace(/\t/g, ' ');
        out.push(`${c.blue(String(l).padStart(gutter))} ${c.blue('|')} ${paint(text)}`);
        if (l === d.line) {
          const endCol = d.endLine === d.line ? Math.max(d.endColumn, d.column + 1) : text.length + 1;
          const carets = '^'.repeat(Math.max(1, endCol - d.column));
          const colour = d.level === 'block' ? c.red : d.level === 'warn' ? c.yellow : c.dim;
          out.push(`${pad} ${c.blue('|')} ${' '.repeat(d.column - 1)}${colour(carets)}`);
        }
      }
    }
    if (d.help) out.push(`${pad} ${c.blue('=')} ${paint(`help: ${d.help}`)}`);
    out.push(`${pad} ${c.blue('=')} ${c.dim(`docs: aibos rules ${d.ruleId}`)}`);
    out.push('');
  }
  if (shown.some((d) => d.acknowledged)) out.push('');
  out.push(summaryLine(result.diagnostics, result.summary, c, options.quiet));
  return out.join('\n') + '\n';
};

function summaryLine(diagnostics: Diagnostic[], s: { files: number; block: number; warn: number; shadow: number; acknowledged: number; failed: boolean }, c: Palette, quiet: boolean): string {
  const parts: string[] = [];
  if (s.block) parts.push(c.red(`${s.block} block`));
  if (s.warn) parts.push(c.yellow(`${s.warn} warn`));
  if (s.shadow) parts.push(c.dim(`${s.shadow} shadow${quiet ? ' (hidden by --quiet)' : ''}`));
  if (s.acknowledged) parts.push(c.dim(`${s.acknowledged} acknowledged`));
  const files = plural(s.files, 'file');
  if (s.failed) return c.redBold(`✖ ${plural(s.block + s.warn, 'failing finding')} in ${files}`) + (parts.length ? ` (${parts.join(', ')})` : '');
  if (!diagnostics.length) return c.green(`✔ ${files} checked, no findings`);
  return c.green(`✔ ${files} checked, nothing failing`) + ` (${parts.join(', ')})`;
}
