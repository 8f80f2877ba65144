/**
 * The only code that knows about UTF-8 byte offsets. libpg-query reports byte
 * offsets; users and editors want 1-based lines and UTF-16 columns.
 */
export interface Position {
  line: number;
  column: number;
}

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export class SourceText {
  readonly text: string;
  readonly bytes: Buffer;
  /** byteToUnit[b] = UTF-16 index of the character that starts at (or contains) byte b; none for ASCII text, where they are equal. */
  private readonly byteToUnit?: Uint32Array;
  /** UTF-16 indices where each line starts. */
  private readonly lineStarts: number[];

  constructor(text: string) {
    this.text = text;
    this.bytes = Buffer.from(text, 'utf8');
    this.lineStarts = lineStartsOf(text);
    // Most migrations are ASCII: one byte per UTF-16 unit, no map to build.
    if (this.bytes.length === text.length) return;
    const map = new Uint32Array(this.bytes.length + 1);
    let b = 0;
    for (let u = 0; u < text.length; u++) {
      const code = text.charCodeAt(u);
      let width: number;
      if (code < 0x80) width = 1;
      else if (code < 0x800) width = 2;
      else if (code >= 0xd800 && code <= 0xdbff && u + 1 < text.length) {
        const next = text.charCodeAt(u + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          for (let k = 0; k < 4; k++) map[b + k] = u;
          b += 4;
          u++;
          continue;
        }
        width = 3;
      } else width = 3;
      for (let k = 0; k < width; k++) map[b + k] = u;
      b += width;
    }
    map[b] = text.length;
    this.byteToUnit = map;
  }

  unitAt(byteOffset: number): number {
    const b = Math.max(0, Math.min(byteOffset, this.bytes.length));
    return this.byteToUnit ? this.byteToUnit[b]! : b;
  }

  positionOfUnit(unit: number): Position {
    const lo = this.lineIndexOfUnit(unit);
    return { line: lo + 1, column: unit - this.lineStarts[lo]! + 1 };
  }

  positionAt(byteOffset: number): Position {
    return this.positionOfUnit(this.unitAt(byteOffset));
  }

  /** 0-based index of the line holding the UTF-16 unit. */
  private lineIndexOfUnit(unit: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= unit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Called for every finding: no intermediate positions, and one line search when start and end share a unit. */
  spanOf(startByte: number, endByte: number): Span {
    const startUnit = this.unitAt(startByte);
    const endUnit = this.unitAt(Math.max(startByte, endByte));
    const first = this.lineIndexOfUnit(startUnit);
    const last = endUnit === startUnit ? first : this.lineIndexOfUnit(endUnit);
    return { line: first + 1, column: startUnit - this.lineStarts[first]! + 1, endLine: last + 1, endColumn: endUnit - this.lineStarts[last]! + 1 };
  }

  /** Slice by byte offsets, safely (never slices a JS string with byte offsets). */
  sliceBytes(startByte: number, endByte: number): string {
    return this.text.slice(this.unitAt(startByte), this.unitAt(endByte));
  }

  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let u = text.indexOf('\n'); u !== -1; u = text.indexOf('\n', u + 1)) starts.push(u + 1);
  if (text.includes('\r')) {
    // Lone CRs end lines too (old Mac files); CRLF is one break.
    starts.length = 1;
    for (let u = 0; u < text.length; u++) {
      const c = text.charCodeAt(u);
      if (c === 10) starts.push(u + 1);
      else if (c === 13 && text.charCodeAt(u + 1) !== 10) starts.push(u + 1);
    }
  }
  return starts;
}
