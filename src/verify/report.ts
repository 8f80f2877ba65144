/**
 * What `aibos verify` prints: one line per problem (file first, so editors
 * and CI logs link it), then a summary; or one JSON document.
 */
import { Chalk } from 'chalk';
import type { MigrationOutcome, VerifyFailure, VerifyResult } from './verify.js';

const PHASE_WORDS: Record<VerifyFailure['phase'], string> = {
  up: 'up failed',
  down: 'down failed',
  reapply: 'up failed when re-applied after the downs',
};

function failureLine(error: VerifyFailure): string {
  const sqlstate = error.code ? ` (SQLSTATE ${error.code})` : '';
  const extra = [error.detail && `detail: ${error.detail}`, error.hint && `hint: ${error.hint}`].filter(Boolean).join('; ');
  return `${error.file}:${error.line}:${error.column}: ${PHASE_WORDS[error.phase]}: ${error.message}${sqlstate}${extra ? ` — ${extra}` : ''}`;
}

function linesOf(outcome: MigrationOutcome): string[] {
  const lines: string[] = [];
  if (outcome.status === 'no-down') {
    lines.push(`${outcome.name}: no down file — add ${String(outcome.version).padStart(3, '0')}_down.sql that undoes it`);
  }
  for (const d of outcome.differences) {
    lines.push(`${outcome.down} ${d.change} ${d.kind} ${d.object}${d.detail ? `: ${d.detail}` : ''}`);
  }
  if (outcome.error) lines.push(failureLine(outcome.error));
  return lines;
}

export function formatVerifyText(result: VerifyResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  for (const outcome of result.migrations) for (const line of linesOf(outcome)) out.push(outcome.status === 'ok' ? c.yellow(line) : c.red(line));
  const skipped = result.migrations.filter((o) => o.status === 'skipped').length;
  const bad = result.migrations.filter((o) => o.status !== 'ok' && o.status !== 'skipped').length;
  const total = result.migrations.length;
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.ok) out.push(c.green(`${total} migration${total === 1 ? '' : 's'} round-trip on ${result.shadow} (${seconds})`));
  else
    out.push(
      c.red.bold(`${bad} of ${total} migration${total === 1 ? '' : 's'} do${bad === 1 ? 'es' : ''} not round-trip`) +
        (skipped ? c.red(`, ${skipped} not verified (an earlier up failed)`) : '') +
        ` (${seconds})`,
    );
  return `${out.join('\n')}\n`;
}

export function formatVerifyJson(result: VerifyResult): string {
  const document = {
    ok: result.ok,
    shadow: result.shadow,
    migrations: result.migrations.map((o) => ({
      version: o.version,
      name: o.name,
      down: o.down,
      status: o.status,
      differences: o.differences,
      ...(o.error ? { error: o.error } : {}),
    })),
    durationMs: result.durationMs,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
