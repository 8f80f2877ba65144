import { sha256Hex } from '../hash.js';
import { pathToFileURL } from 'node:url';
import type { ActiveLevel, Diagnostic, LintResult, Rule } from '../lint/types.js';
import type { SourceText } from '../sql/source.js';
import type { Formatter, RuleDoc } from './types.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. Shapes follow the OASIS
 * spec and the checks of the official validator (`sarif-multitool validate --rule-kind "Gh;Sarif"`).
 */

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const INFORMATION_URI = 'https://www.npmjs.com/package/aibos';
const SRCROOT = '%SRCROOT%';
/** Bump the suffix if the fingerprint recipe ever changes, so old and new alerts are not mixed up. */
const FINGERPRINT_KEY = 'aibosFinding/v1';

const SARIF_LEVEL: Record<ActiveLevel, 'error' | 'warning' | 'note'> = { block: 'error', warn: 'warning', shadow: 'note' };

export const formatSarif: Formatter = (result, options) => {
  const rules = result.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const shown = result.diagnostics.filter((d) => !(options.quiet && d.level === 'shadow'));
  const fingerprints = fingerprintAll(shown, result);
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'aibos',
            fullName: 'aibos — Schema Guardian for Postgres migrations',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => describeRule(r, options.ruleDocs?.get(r.meta.id))),
          },
        },
        // The checkout root; URIs below are relative to it so alerts match files in the repository.
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(options.cwd.endsWith('/') ? options.cwd : `${options.cwd}/`).href } },
        columnKind: 'utf16CodeUnits',
        results: shown.map((d, i) => describeResult(d, ruleIndex.get(d.ruleId), fingerprints[i]!, result.sources.get(d.file)?.parsed.source)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};

function describeRule(rule: Rule, doc: RuleDoc | undefined) {
  const { meta } = rule;
  const markdown = doc ? withoutHtmlComments(doc.markdown).trim() : `# ${meta.id}\n\n${meta.summary}`;
  const intro = introOf(markdown) || meta.summary;
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: sentence(meta.summary) },
    fullDescription: { text: sentence(plainText(intro)), markdown: intro },
    help: { text: plainText(markdown), markdown },
    ...(doc?.uri ? { helpUri: doc.uri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[meta.level] },
    properties: { category: meta.category, tags: ['aibos', meta.category, ...(meta.category === 'governance' ? ['maintainability'] : meta.category === 'safety' ? ['reliability'] : ['correctness'])] },
  };
}

function describeResult(d: Diagnostic, ruleIndex: number | undefined, fingerprint: string, source: SourceText | undefined) {
  return {
    ruleId: d.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: SARIF_LEVEL[d.level],
    message: { text: d.help ? `${sentence(d.message)} Help: ${sentence(d.help)}` : sentence(d.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUri(d.file), uriBaseId: SRCROOT },
          region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn, ...snippetOf(source, d) },
          ...contextOf(source, d),
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
    ...(d.acknowledged ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: d.ackReason ?? '' }] } : {}),
  };
}

/**
 * A fingerprint that survives edits elsewhere in the file: rule, file and the text of the statement
 * the finding sits in (whitespace-normalised; the line's text when it is outside any statement),
 * plus how many identical keys came before it. Line numbers are deliberately left out.
 */
function fingerprintAll(diagnostics: Diagnostic[], result: LintResult): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const key = `${d.ruleId}\0${d.file}\0${anchorText(d, result)}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return `${sha256Hex(key).slice(0, 32)}:${occurrence + 1}`;
  });
}

function anchorText(d: Diagnostic, result: LintResult): string {
  const file = result.sources.get(d.file);
  if (!file) return '';
  const at = (line: number, column: number, l2: number, c2: number) => line < l2 || (line === l2 && column <= c2);
  const stmt = file.parsed.statements.find((s) => at(s.span.line, s.span.column, d.line, d.column) && at(d.line, d.column, s.span.endLine, s.span.endColumn));
  const text = stmt ? stmt.text : d.line <= file.parsed.source.lineCount ? file.parsed.source.lineText(d.line) : '';
  return text.replace(/\s+/g, ' ').trim();
}

/** The highlighted text itself, so viewers without the checkout can show it. Columns are UTF-16, like JS strings. */
function snippetOf(source: SourceText | undefined, d: Diagnostic) {
  if (!source || d.endLine > source.lineCount || (d.line === d.endLine && d.endColumn <= d.column)) return {};
  const lines: string[] = [];
  for (let l = d.line; l <= d.endLine; l++) {
    const text = source.lineText(l);
    lines.push(text.slice(l === d.line ? d.column - 1 : 0, l === d.endLine ? d.endColumn - 1 : undefined));
  }
  return { snippet: { text: lines.join('\n') } };
}

/** The finding's whole lines plus one line either side. */
function contextOf(source: SourceText | undefined, d: Diagnostic) {
  if (!source || d.endLine > source.lineCount) return {};
  const startLine = Math.max(1, d.line - 1);
  const endLine = Math.min(source.lineCount, d.endLine + 1);
  const lines: string[] = [];
  for (let l = startLine; l <= endLine; l++) lines.push(source.lineText(l));
  return { contextRegion: { startLine, endLine, snippet: { text: lines.join('\n') } } };
}

/** Percent-encodes each path segment (spaces, `#`, `%`…) so the URI is valid, keeping `/`. */
function encodeUri(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

/** SARIF viewers show messages as sentences; the validator asks for a final period. */
function sentence(text: string): string {
  const t = text.trim();
  return !t || /[.!?]$/.test(t) ? t : `${t}.`;
}

function withoutHtmlComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->\n?/g, '');
}

/** The paragraphs between the title and the first `##` section. */
function introOf(markdown: string): string {
  const lines = markdown.split('\n');
  const start = lines[0]?.startsWith('# ') ? 1 : 0;
  const end = lines.findIndex((l, i) => i >= start && /^##\s/.test(l));
  return lines
    .slice(start, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}

/** Markdown to readable plain text: no heading marks, fences or backticks. */
function plainText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((l) => !/^```/.test(l))
    .map((l) => l.replace(/^#+\s*/, '').replace(/`/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
