import { sha256Hex } from '../hash.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MigrationFile } from './files.js';

export const SUM_FILE = 'aibos.sum';

/** The lines of `aibos.sum`: a header hashing the list, then `<sha256>  <file name>` per file. */
export function renderSum(files: Pick<MigrationFile, 'name' | 'checksum'>[]): string {
  const { body, total } = listed(files);
  return `h1:${total}  (aibos.sum: rewrite with \`aibos sum\`, never by hand)\n${body}\n`;
}

/** The listed lines and the header's hash of them. */
function listed(entries: { name: string; checksum: string }[]): { body: string; total: string } {
  const body = entries.map((e) => `${e.checksum}  ${e.name}`).join('\n');
  return { body, total: sha256Hex(body) };
}

export interface SumEntry {
  name: string;
  checksum: string;
}

export interface SumFile {
  entries: SumEntry[];
  /** False when the header hash does not match the listed lines (hand-edited or merge-mangled). */
  headerOk: boolean;
}

export function readSum(dir: string): SumFile | undefined {
  const file = path.join(dir, SUM_FILE);
  if (!existsSync(file)) return undefined;
  return parseSum(readFileSync(file, 'utf8'));
}

/** Parses the text of an `aibos.sum` (from the disk, or the git index for `lint --staged`). */
export function parseSum(text: string): SumFile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const header = /^h1:([0-9a-f]{64})/.exec(lines[0] ?? '');
  const entries: SumEntry[] = [];
  for (const line of lines.slice(1)) {
    const m = /^([0-9a-f]{64})\s+(.+)$/.exec(line);
    if (m) entries.push({ checksum: m[1]!, name: m[2]!.trim() });
  }
  return { entries, headerOk: header?.[1] === listed(entries).total };
}

export function writeSum(dir: string, files: Pick<MigrationFile, 'name' | 'checksum'>[]): string {
  const file = path.join(dir, SUM_FILE);
  writeFileSync(file, renderSum(files));
  return file;
}
