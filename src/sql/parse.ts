import { loadParser, parseToJson, type RawParseResult } from './pg-wasm.js';
import { SourceText, type Span } from './source.js';
import { lineComments, skipTrivia, tokenEnd, trimStatementEnd } from './lexer.js';

/** Loads the WASM parser once; every parse after this is synchronous. */
export async function initParser(): Promise<void> {
  await loadParser();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

export interface Statement {
  readonly index: number;
  /** The statement's node type, e.g. `CreateStmt`. */
  readonly kind: string;
  /** The statement node itself (the value under `kind`). */
  readonly node: AstNode;
  /** Byte offset of the first token (comments before it excluded). */
  readonly start: number;
  /** Byte offset just past the last token (`;` excluded). */
  readonly end: number;
  readonly span: Span;
  readonly text: string;
}

type RawStatement = { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number };

/** libpg-query's JSON as its statements; each `stmt` is `{ Kind: node }`. */
function rawStatements(json: string): RawStatement[] {
  return (JSON.parse(json) as { stmts?: RawStatement[] }).stmts ?? [];
}

const kindOf = (raw: RawStatement): string => Object.keys(raw.stmt)[0]!;

/**
 * The AST nodes of one file's statements. A lint drops them once it has visited the file (ASTs kept
 * for the whole run were most of the memory and the garbage collector's work on a large input);
 * reading a node after that parses the file again, so nothing reads a missing tree.
 */
class Trees {
  constructor(
    private nodes: AstNode[] | undefined,
    private readonly bytes: Buffer,
  ) {}

  node(index: number): AstNode {
    if (!this.nodes) {
      const { json } = parseToJson(this.bytes);
      this.nodes = json ? rawStatements(json).map((raw) => raw.stmt[kindOf(raw)]) : [];
    }
    return this.nodes[index];
  }

  release(): void {
    this.nodes = undefined;
  }
}

/** Span and text are worked out on first use: a lint reads neither for most of its statements. */
class ParsedStatement implements Statement {
  #span?: Span;
  #text?: string;

  constructor(
    readonly index: number,
    readonly kind: string,
    private readonly trees: Trees,
    readonly start: number,
    readonly end: number,
    private readonly source: SourceText,
  ) {}

  get node(): AstNode {
    return this.trees.node(this.index);
  }

  get span(): Span {
    return (this.#span ??= this.source.spanOf(this.start, this.end));
  }

  get text(): string {
    return (this.#text ??= this.source.sliceBytes(this.start, this.end));
  }
}

export type DirectiveKind = 'ack' | 'ack-file' | 'no-transaction';

export interface Directive {
  kind: DirectiveKind;
  rules: string[];
  reason: string;
  /** Byte offsets of the comment. */
  start: number;
  end: number;
  span: Span;
  /** For `ack`: index of the statement it applies to, or -1 when none follows. */
  statementIndex: number;
}

export interface FileHeader {
  author?: string;
  reason?: string;
  ticket?: string;
}

export interface SyntaxErrorInfo {
  message: string;
  /** Byte offset of the parser's cursor. */
  offset: number;
  span: Span;
}

export interface ParsedSql {
  source: SourceText;
  statements: Statement[];
  syntaxError?: SyntaxErrorInfo;
  directives: Directive[];
  header: FileHeader;
  /** True when `-- aibos:no-transaction` appears. */
  noTransaction: boolean;
  /** Frees the statements' AST nodes (a later read of a node parses the file again). */
  releaseTrees(): void;
}

const MAY_DIRECT = /aibos|author|reason|ticket/i;
const ACK = /^aibos-ack(-file)?\b\s*([^:]*?)\s*(?::\s*(.*))?$/i;
const HEADER = /^(author|reason|ticket)\s*:\s*(.*)$/i;

/** Strips a UTF-8 BOM: editors don't show it, so columns shouldn't count it. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function codePointsToByteOffset(text: string, codePoints: number): number {
  let unit = 0;
  for (let n = 0; n < codePoints && unit < text.length; n++) {
    const c = text.charCodeAt(unit);
    unit += c >= 0xd800 && c <= 0xdbff && unit + 1 < text.length ? 2 : 1;
  }
  return Buffer.byteLength(text.slice(0, unit), 'utf8');
}

/**
 * `text`: the SQL, or its SourceText when the caller already made one (BOM stripped);
 * `preparsed`: the parser's result for this text, when another thread already ran it (see parallel.ts).
 */
export function parseSql(text: string | SourceText, preparsed?: RawParseResult): ParsedSql {
  const source = typeof text === 'string' ? new SourceText(stripBom(text)) : text;
  const bytes = source.bytes;
  const statements: Statement[] = [];
  let syntaxError: SyntaxErrorInfo | undefined;
  let trees: Trees | undefined;
  // The parser rejects an empty string; an empty or comment-only file is simply zero statements.
  if (skipTrivia(bytes, 0) < bytes.length) {
    const parsed = preparsed ?? parseToJson(bytes);
    if (parsed.error) {
      // The parser's cursor counts characters (code points), not bytes.
      const offset = Math.min(codePointsToByteOffset(source.text, Math.max(parsed.error.cursorPosition, 0)), bytes.length);
      // The span covers the token the parser stopped at ("at or near ..."), at least one byte.
      const end = Math.min(Math.max(tokenEnd(bytes, offset), offset + 1), bytes.length);
      syntaxError = { message: parsed.error.message, offset, span: source.spanOf(offset, end === offset ? offset : end) };
    } else {
      const nodes: AstNode[] = [];
      trees = new Trees(nodes, bytes);
      for (const raw of rawStatements(parsed.json)) {
        const location = raw.stmt_location ?? 0;
        const rawEnd = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : location + raw.stmt_len;
        const start = skipTrivia(bytes, location, rawEnd);
        const end = trimStatementEnd(bytes, start, rawEnd);
        const kind = kindOf(raw);
        nodes.push(raw.stmt[kind]);
        statements.push(new ParsedStatement(statements.length, kind, trees, start, end, source));
      }
    }
  }

  const directives: Directive[] = [];
  const header: FileHeader = {};
  let noTransaction = false;
  const firstStart = statements[0]?.start ?? bytes.length;
  // Headers and directives are `--` comments naming one of these words: a file without any has neither,
  // and skips the comment scan (a pass over every byte).
  const comments = MAY_DIRECT.test(source.text) ? lineComments(bytes) : [];
  for (const comment of comments) {
    const body = comment.body;
    if (comment.start < firstStart) {
      const h = HEADER.exec(body);
      if (h) {
        const key = h[1]!.toLowerCase() as keyof FileHeader;
        header[key] ??= h[2]!.trim();
      }
    }
    if (/^aibos:no-transaction\b/i.test(body)) {
      noTransaction = true;
      directives.push({ kind: 'no-transaction', rules: [], reason: '', start: comment.start, end: comment.end, span: source.spanOf(comment.start, comment.end), statementIndex: -1 });
      continue;
    }
    const m = ACK.exec(body);
    if (!m) continue;
    const rules = m[2]!.split(/[\s,]+/).filter(Boolean).map((r) => r.toLowerCase());
    const isFile = Boolean(m[1]);
    let statementIndex = -1;
    if (!isFile) statementIndex = statements.findIndex((s) => s.start > comment.start);
    directives.push({
      kind: isFile ? 'ack-file' : 'ack',
      rules,
      reason: (m[3] ?? '').trim(),
      start: comment.start,
      end: comment.end,
      span: source.spanOf(comment.start, comment.end),
      statementIndex,
    });
  }
  return { source, statements, syntaxError, directives, header, noTransaction, releaseTrees: () => trees?.release() };
}
