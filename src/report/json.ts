import { reportFields } from '../lint/restrict.js';
import type { Diagnostic, LintResult } from '../lint/types.js';
import type { FormatOptions, Formatter } from './types.js';

/**
 * Findings per piece of the report (see `chunks`): ~90 KB of text, under V8's 128 KB large-object size.
 * Larger pieces (1,000 findings, ~450 KB) each took fresh pages from the system, ~4,800 page faults on
 * the corpus report, and faults are slow on a virtual machine.
 */
const FINDINGS_PER_CHUNK = 200;

/** Diagnostic has the report's fields and, optionally, `ackReason` (and JSON leaves out undefined values). */
const isReportShape = (d: Diagnostic): boolean => d.help !== undefined && d.ackReason === undefined;

/**
 * DESIGN §3: exactly one document, in exactly this shape, on one line (as ESLint and squawk print
 * theirs): machines read it, and a 40,000-finding report is a third smaller and faster to write.
 * Pipe it through `jq .` to read it. (Building the text by hand, field by field, measured twice
 * as slow as JSON.stringify.)
 */
function* jsonChunks(result: LintResult, options: FormatOptions): Iterable<string> {
  const head = JSON.stringify({ version: 1, tool: { name: 'aibos', version: options.toolVersion }, summary: result.summary });
  yield `${head.slice(0, -1)},"diagnostics":[`;
  const all = result.diagnostics;
  for (let from = 0; from < all.length; from += FINDINGS_PER_CHUNK) {
    // The lint's findings already have the report's fields in its order; one with an ack's reason or
    // without help is copied to that shape.
    const slice = all.slice(from, from + FINDINGS_PER_CHUNK);
    for (let i = 0; i < slice.length; i++) if (!isReportShape(slice[i]!)) slice[i] = reportFields(slice[i]!);
    // The separator goes on its own: a slice of the text is written without copying it again.
    if (from) yield ',';
    yield JSON.stringify(slice).slice(1, -1);
  }
  yield ']}\n';
}

export const formatJson: Formatter = Object.assign((result: LintResult, options: FormatOptions) => [...jsonChunks(result, options)].join(''), { chunks: jsonChunks });
