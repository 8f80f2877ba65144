import type { Diagnostic } from '../lint/types.js';
import type { Formatter } from './types.js';

/**
 * JUnit XML for CI test-report views (GitLab, Jenkins, Azure): one `<testcase>` per linted file,
 * one `<failure>` per failing finding (block, or warn not acknowledged). Findings that do not fail
 * (shadow, acknowledged) are listed in the test case's `<system-out>`. Counts are of test cases.
 */

/** XML 1.0 text and attribute escaping; characters XML 1.0 cannot carry at all are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/** Element text: newlines stay readable. */
function escapeText(text: string): string {
  return escapeXml(text).replace(/&#10;/g, '\n').replace(/&#9;/g, '\t');
}

const fails = (d: Diagnostic) => !d.acknowledged && (d.level === 'block' || d.level === 'warn');

function describe(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.column}`;
  const ack = d.acknowledged ? ` (acknowledged: ${d.ackReason ?? ''})` : '';
  return `${d.level}[${d.ruleId}] ${where}: ${d.message}${ack}${d.help ? `\nhelp: ${d.help}` : ''}`;
}

export const formatJunit: Formatter = (result, options) => {
  // Every linted file, then any other file a finding names (aibos.sum), in report order.
  const byFile = new Map<string, Diagnostic[]>([...result.sources.keys()].map((f) => [f, []]));
  for (const d of result.diagnostics) if (!byFile.has(d.file)) byFile.set(d.file, []);
  for (const d of result.diagnostics) if (!(options.quiet && d.level === 'shadow')) byFile.get(d.file)!.push(d);

  const cases: string[] = [];
  let failed = 0;
  for (const [file, found] of byFile) {
    const failing = found.filter(fails);
    const other = found.filter((d) => !fails(d));
    if (failing.length) failed++;
    const slash = file.lastIndexOf('/');
    const open = `    <testcase classname="${escapeXml(slash === -1 ? '.' : file.slice(0, slash))}" name="${escapeXml(file)}" file="${escapeXml(file)}"`;
    if (!found.length) {
      cases.push(`${open}/>`);
      continue;
    }
    const body = failing.map((d) => `      <failure type="${escapeXml(d.ruleId)}" message="${escapeXml(`${d.ruleId}: ${d.message}`)}">${escapeText(describe(d))}</failure>`);
    if (other.length) body.push(`      <system-out>${escapeText(other.map(describe).join('\n'))}</system-out>`);
    cases.push(`${open}>\n${body.join('\n')}\n    </testcase>`);
  }
  const counts = `tests="${byFile.size}" failures="${failed}" errors="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="aibos lint" ${counts}>`,
    `  <testsuite name="aibos lint" ${counts} skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
};
