import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileError } from '../errors.js';
import { parseSql, stripBom, type ParsedSql } from '../sql/parse.js';
import type { RawParseResult } from '../sql/pg-wasm.js';

export type MigrationRole = 'up' | 'down';

/** What a file name says: DESIGN §2's grammar. */
export interface NameInfo {
  role: MigrationRole;
  /** True when the name follows DESIGN §2's grammar. */
  grammarOk: boolean;
  /** Numeric sequence (`101`), when the name carries one. */
  seq?: number;
  schema?: string;
  action?: string;
  entity?: string;
}

export interface MigrationFile extends NameInfo {
  /** Absolute path. */
  path: string;
  /** Relative to the working directory, `/` separators: what reports print. */
  relPath: string;
  /** Base name, e.g. `101_finance_create_accounts.sql`. */
  name: string;
  /** Numeric ordering key taken from the name (or its folder's name). */
  order: bigint;
  /** The file's text, BOM removed. */
  text: string;
  /** SHA-256 of the bytes with BOM stripped and CRLF turned into LF. */
  checksum: string;
  parsed: ParsedSql;
  /** Up <-> down pairing. */
  pair?: MigrationFile;
}

const UP = /^(\d{3,})_([a-z][a-z0-9]*(?:_[a-z0-9]+){2,})\.sql$/;
const DOWN = /^(\d{3,})_down\.sql$/;
const DOWN_LONG = /^(\d{3,})_([a-z][a-z0-9]*(?:_[a-z0-9]+){2,})\.down\.sql$/;
const LOOKS_DOWN = /(^|[._-])down\.sql$/i;

export function checksumOf(text: string): string {
  return createHash('sha256').update(stripBom(text).replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

export function toRelPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(path.sep).join('/');
}

function orderKey(name: string, dir: string): bigint {
  const m = /^[vV]?(\d[\d_-]*)/.exec(name) ?? /^[vV]?(\d[\d_-]*)/.exec(path.basename(dir));
  if (!m) return -1n;
  const digits = m[1]!.replace(/[^\d]/g, '').slice(0, 30);
  return digits ? BigInt(digits) : -1n;
}

/** Splits `kernel_create_tenants` into schema, action and entity, preferring configured schema names. */
export function splitName(rest: string, schemaNames: string[]): { schema: string; action: string; entity: string } {
  const known = [...schemaNames].sort((a, b) => b.length - a.length).find((s) => rest.startsWith(`${s}_`));
  const schema = known ?? rest.split('_')[0]!;
  const tail = rest.slice(schema.length + 1).split('_');
  return { schema, action: tail[0] ?? '', entity: tail.slice(1).join('_') };
}

export function describeName(name: string, schemaNames: string[]): NameInfo {
  let m = DOWN.exec(name);
  if (m) return { role: 'down', grammarOk: true, seq: Number(m[1]) };
  m = DOWN_LONG.exec(name);
  if (m) return { role: 'down', grammarOk: true, seq: Number(m[1]), ...splitName(m[2]!, schemaNames) };
  m = UP.exec(name);
  if (m) return { role: 'up', grammarOk: true, seq: Number(m[1]), ...splitName(m[2]!, schemaNames) };
  const lead = /^(\d+)_/.exec(name);
  return { role: LOOKS_DOWN.test(name) ? 'down' : 'up', grammarOk: false, seq: lead ? Number(lead[1]) : undefined };
}

export function readMigrationFile(absPath: string, schemaNames: string[], text?: string, cwd = process.cwd(), preparsed?: RawParseResult): MigrationFile {
  let content = text;
  if (content === undefined) {
    try {
      content = readFileSync(absPath, 'utf8');
    } catch (error) {
      throw new FileError(`Cannot read ${toRelPath(absPath, cwd)}: ${(error as Error).message.split('\n')[0]} — check the path and its permissions.`);
    }
  }
  const name = path.basename(absPath);
  const info = describeName(name, schemaNames);
  const body = stripBom(content);
  let parsed: ParsedSql | undefined;
  return {
    path: absPath,
    relPath: toRelPath(absPath, cwd),
    name,
    ...info,
    order: orderKey(name, path.dirname(absPath)),
    text: body,
    checksum: checksumOf(body),
    // Parsed on first use: `migrate up` with nothing pending reads only names and checksums.
    get parsed(): ParsedSql {
      if (parsed === undefined) {
        parsed = parseSql(body, preparsed);
        preparsed = undefined; // the parser's JSON text is as large as the tree: do not keep both
      }
      return parsed;
    },
  };
}

/** Every `*.sql` under the given files and folders (recursive), absolute and de-duplicated. */
/** `.sql`, plus the `.sql.postgres` dialect variants some projects keep next to `.sql.sqlite` ones. */
export function isSqlFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.sql') || lower.endsWith('.sql.postgres');
}

export function findSqlFiles(paths: string[], cwd = process.cwd()): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && isSqlFileName(entry.name)) found.add(full);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new FileError(`${p}: no such file or directory — pass a migration file or a folder of them.`);
    }
    if (stat.isDirectory()) walk(abs);
    else found.add(abs);
  }
  return [...found];
}

export function compareMigrations(a: MigrationFile, b: MigrationFile): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  // An up before its down; then by path for a stable order.
  if (a.role !== b.role && path.dirname(a.path) === path.dirname(b.path)) return a.role === 'up' ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Pairs each down with its up: `101_down.sql` with `101_…sql`, `x.down.sql` with `x.sql`/`x.up.sql`, `down.sql` with `up.sql`. */
export function pairMigrations(files: MigrationFile[]): void {
  const byDir = new Map<string, MigrationFile[]>();
  for (const f of files) {
    const dir = path.dirname(f.path);
    const list = byDir.get(dir) ?? [];
    list.push(f);
    byDir.set(dir, list);
  }
  for (const list of byDir.values()) {
    const ups = list.filter((f) => f.role === 'up');
    for (const down of list.filter((f) => f.role === 'down')) {
      const base = down.name.replace(/(\.|_|-)?down\.sql$/i, '');
      const up =
        (down.seq !== undefined && down.grammarOk && ups.find((u) => u.seq === down.seq && u.grammarOk)) ||
        ups.find((u) => u.name === `${base}.sql` || u.name === `${base}.up.sql` || u.name === `${base}_up.sql` || (base === '' && u.name.toLowerCase() === 'up.sql'));
      if (up && !up.pair) {
        up.pair = down;
        down.pair = up;
      }
    }
  }
}

export interface MigrationSet {
  /** Every file, in migration order. */
  files: MigrationFile[];
  /** Up files in order. */
  ups: MigrationFile[];
  downs: MigrationFile[];
}

/** `preparsed`: parser results by path, for files parsed on several threads (sql/parallel.ts). */
export function loadMigrationFiles(absPaths: string[], schemaNames: string[], cwd = process.cwd(), texts?: Map<string, string>, preparsed?: Map<string, RawParseResult>): MigrationSet {
  const files = absPaths.map((p) => readMigrationFile(p, schemaNames, texts?.get(p), cwd, preparsed?.get(p))).sort(compareMigrations);
  pairMigrations(files);
  return { files, ups: files.filter((f) => f.role === 'up'), downs: files.filter((f) => f.role === 'down') };
}
