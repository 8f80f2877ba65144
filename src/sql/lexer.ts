/**
 * A small byte-level SQL lexer: just enough to find comments, skip trivia
 * before a statement and measure a token. It works on UTF-8 bytes because
 * libpg-query's offsets are byte offsets; every delimiter is ASCII, and
 * multi-byte characters never contain ASCII bytes.
 */
export interface LineComment {
  /** Byte offset of the leading `--`. */
  start: number;
  end: number;
  /** Comment text without the leading dashes, trimmed. */
  body: string;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isIdentByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c >= 0x80;
}

function skipBlockComment(b: Uint8Array, i: number): number {
  // i points at '/*'; block comments nest in Postgres.
  let depth = 0;
  while (i < b.length) {
    if (b[i] === 0x2f && b[i + 1] === 0x2a) {
      depth++;
      i += 2;
    } else if (b[i] === 0x2a && b[i + 1] === 0x2f) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return i;
}

function lineEnd(b: Uint8Array, i: number): number {
  while (i < b.length && b[i] !== 0x0a && b[i] !== 0x0d) i++;
  return i;
}

function skipQuoted(b: Uint8Array, i: number, quote: number, backslash: boolean): number {
  i++;
  while (i < b.length) {
    const c = b[i]!;
    if (backslash && c === 0x5c) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (b[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return i;
}

/** If a dollar-quote tag starts at i, return its length, else 0. */
function dollarTag(b: Uint8Array, i: number): number {
  if (b[i] !== 0x24) return 0;
  let j = i + 1;
  if (b[j] !== undefined && b[j]! >= 0x30 && b[j]! <= 0x39) return 0;
  while (j < b.length && b[j] !== 0x24) {
    if (!isIdentByte(b[j]!) || b[j] === 0x24) return 0;
    j++;
  }
  return b[j] === 0x24 ? j - i + 1 : 0;
}

function skipDollarQuoted(b: Uint8Array, i: number, tagLen: number): number {
  const tag = b.subarray(i, i + tagLen);
  let j = i + tagLen;
  outer: while (j < b.length) {
    if (b[j] === 0x24) {
      for (let k = 0; k < tagLen; k++) if (b[j + k] !== tag[k]) {
        j++;
        continue outer;
      }
      return j + tagLen;
    }
    j++;
  }
  return j;
}

/** Offset of the first byte at or after `i` that is not whitespace or a comment. */
export function skipTrivia(b: Uint8Array, i: number, end = b.length): number {
  while (i < end) {
    const c = b[i]!;
    if (isSpace(c)) i++;
    else if (c === 0x2d && b[i + 1] === 0x2d) i = lineEnd(b, i);
    else if (c === 0x2f && b[i + 1] === 0x2a) i = skipBlockComment(b, i);
    else break;
  }
  return i;
}

/** Offset just past the token that starts at `i`. */
export function tokenEnd(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === undefined) return i;
  if (c === 0x22) return skipQuoted(b, i, 0x22, false);
  if (c === 0x27) return skipQuoted(b, i, 0x27, false);
  if ((c === 0x45 || c === 0x65) && b[i + 1] === 0x27) return skipQuoted(b, i + 1, 0x27, true);
  const tag = dollarTag(b, i);
  if (tag) return skipDollarQuoted(b, i, tag);
  if (isIdentByte(c)) {
    let j = i + 1;
    while (j < b.length && isIdentByte(b[j]!)) j++;
    return j;
  }
  return i + 1;
}

/** Offset of the end of the last token before `end` (trailing whitespace, comments and `;` excluded). */
export function trimStatementEnd(b: Uint8Array, start: number, end: number): number {
  // The common case, read backwards: trailing whitespace, then a last line with no `--` (no comment can
  // hide there) that does not end in `/` (no block comment) or `;`. That byte ends the last token.
  let j = end;
  while (j > start && isSpace(b[j - 1]!)) j--;
  if (j === start) return start;
  const lastByte = b[j - 1]!;
  if (lastByte !== 0x2f && lastByte !== 0x3b) {
    let k = j - 1;
    let dashes = false;
    while (k > start && b[k - 1] !== 0x0a && b[k - 1] !== 0x0d) {
      if (b[k] === 0x2d && b[k - 1] === 0x2d) {
        dashes = true;
        break;
      }
      k--;
    }
    if (!dashes) return j;
  }
  // Otherwise walk tokens forward: trailing comments can't be recognised walking backwards.
  let last = start;
  let i = start;
  while (i < end) {
    i = skipTrivia(b, i, end);
    if (i >= end) break;
    const e = Math.min(tokenEnd(b, i), end);
    if (b[i] !== 0x3b) last = e;
    i = e;
  }
  return last;
}

/** Every `--` comment outside strings, quoted identifiers and dollar-quoted bodies. */
export function lineComments(b: Uint8Array): LineComment[] {
  const out: LineComment[] = [];
  let i = 0;
  const decoder = new TextDecoder();
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x2d && b[i + 1] === 0x2d) {
      const e = lineEnd(b, i);
      let s = i + 2;
      while (s < e && b[s] === 0x2d) s++;
      out.push({ start: i, end: e, body: decoder.decode(b.subarray(s, e)).trim() });
      i = e;
    } else if (c === 0x2f && b[i + 1] === 0x2a) i = skipBlockComment(b, i);
    else if (c === 0x27 || c === 0x22 || c === 0x24 || ((c === 0x45 || c === 0x65) && b[i + 1] === 0x27)) {
      if (c === 0x24 && !dollarTag(b, i)) i++;
      else i = tokenEnd(b, i);
    } else if (isIdentByte(c)) {
      // Skip a whole word so a `$` inside an identifier is not read as a dollar quote.
      i = tokenEnd(b, i);
    } else i++;
  }
  return out;
}

/** Offset just past a possibly qualified name starting at `i` (`finance.accounts`, `"a"."b"`). */
export function nameEnd(b: Uint8Array, i: number): number {
  let end = tokenEnd(b, i);
  while (b[end] === 0x2e && b[end + 1] !== undefined && (isIdentByte(b[end + 1]!) || b[end + 1] === 0x22)) end = tokenEnd(b, end + 1);
  return end;
}

export interface LongIdentifier {
  /** Byte offsets of the token as written (quotes included). */
  start: number;
  end: number;
  /** The identifier's value (unquoted, or lower-cased when written bare). */
  name: string;
  /** Its length in bytes. */
  bytes: number;
  /** What Postgres keeps: the value cut to `max` bytes on a character boundary. */
  truncated: string;
}

/**
 * Calls `visit` with the bounds of each identifier token between `start` and `end` (quoted or bare; a
 * bare one starts with a letter, `_` or a non-ASCII byte), skipping strings, comments and dollar-quoted
 * bodies, until it returns true. Nothing is copied: most callers only compare or measure the token
 * (identifierLength, identifierIs), and identifierValue copies one when asked.
 */
function scanIdentifiers(b: Uint8Array, start: number, end: number, visit: (from: number, to: number, quoted: boolean) => boolean | void): void {
  let i = start;
  while (i < end) {
    i = skipTrivia(b, i, end);
    if (i >= end) break;
    const c = b[i]!;
    const e = Math.min(tokenEnd(b, i), end);
    const prefixedString = (c === 0x45 || c === 0x65) && b[i + 1] === 0x27;
    if (c === 0x22) {
      if (visit(i, e, true)) return;
    } else if (!prefixedString && isIdentByte(c) && !(c >= 0x30 && c <= 0x39) && c !== 0x24) {
      if (visit(i, e, false)) return;
    }
    i = e > i ? e : i + 1;
  }
}

/** An identifier token's value as the parser sees it: a bare one lower-cased (ASCII), a quoted one without its quotes, `""` as `"`. */
function identifierValue(b: Uint8Array, from: number, to: number, quoted: boolean): Uint8Array {
  if (!quoted) return b.subarray(from, to).map(lowerAscii);
  const out: number[] = [];
  for (let k = from + 1; k < to - 1; k++) {
    out.push(b[k]!);
    if (b[k] === 0x22 && b[k + 1] === 0x22) k++;
  }
  return Uint8Array.from(out);
}

/** The byte length of an identifier token's value (a quoted one, rarer, is unescaped to count it). */
function identifierLength(b: Uint8Array, from: number, to: number, quoted: boolean): number {
  return quoted ? identifierValue(b, from, to, true).length : to - from;
}

/** Whether an identifier token's value is `wanted`: a bare one compared in place. */
function identifierIs(b: Uint8Array, from: number, to: number, quoted: boolean, wanted: Uint8Array): boolean {
  if (quoted) {
    const value = identifierValue(b, from, to, true);
    return value.length === wanted.length && value.every((x, k) => x === wanted[k]);
  }
  if (to - from !== wanted.length) return false;
  for (let k = from; k < to; k++) if (lowerAscii(b[k]!) !== wanted[k - from]) return false;
  return true;
}

const lowerAscii = (x: number): number => (x >= 0x41 && x <= 0x5a ? x + 32 : x);

/**
 * Identifiers (bare or double-quoted) longer than `max` bytes between `start` and `end`.
 * The parser already truncates them (as Postgres does), so the source is the only place
 * their full length is visible.
 */
export function longIdentifiers(b: Uint8Array, start: number, end: number, max = 63): LongIdentifier[] {
  const out: LongIdentifier[] = [];
  scanIdentifiers(b, start, end, (from, to, quoted) => {
    if (to - from <= max || identifierLength(b, from, to, quoted) <= max) return;
    const value = identifierValue(b, from, to, quoted);
    let cut = max;
    // Never split a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
    while (cut > 0 && (value[cut]! & 0xc0) === 0x80) cut--;
    const decoder = new TextDecoder();
    out.push({ start: from, end: to, name: decoder.decode(value), bytes: value.length, truncated: decoder.decode(value.subarray(0, cut)) });
  });
  return out;
}

const encoder = new TextEncoder();

/** A name's UTF-8 bytes; ASCII (nearly every identifier) without a call into TextEncoder. */
function utf8(name: string): Uint8Array {
  const out = new Uint8Array(name.length);
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(name);
    out[i] = c;
  }
  return out;
}

/**
 * Byte offset of the first identifier token between `start` and `end` that names `name` (as the parser
 * gives it: a bare identifier lower-cased, a quoted one as written), or -1. For findings on names the
 * parser reports without a position (DROP's objects, ALTER TABLE's column subcommands).
 */
export function findIdentifier(b: Uint8Array, start: number, end: number, name: string): number {
  const wanted = utf8(name);
  let found = -1;
  scanIdentifiers(b, start, end, (from, to, quoted) => {
    if (!identifierIs(b, from, to, quoted, wanted)) return false;
    found = from;
    return true;
  });
  return found;
}

