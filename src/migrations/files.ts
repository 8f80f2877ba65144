import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path, { basename, dirname } from 'node:path';
import { FileError } from '../errors.js';
import { sha256Hex } from '../hash.js';
import { parseSql, stripBom, type ParsedSql } from '../sql/parse.js';
import { SourceText } from '../sql/source.js';
import type { AheadFiles, ParseAhead } from '../sql/parallel.js';

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
  /** Absolute path of the folder it is in. */
  dir: string;
  /** Numeric ordering key taken from the name (or its folder's name). */
  order: bigint;
  /** The file's text, BOM removed. */
  text: string;
  /** SHA-256 of the bytes with BOM stripped and CRLF turned into LF. */
  checksum: string;
  parsed: ParsedSql;
  /**
   * The text's bytes, lines and positions: the same object as `parsed.source`, without parsing (a
   * finding on a file the lint has not reached yet needs its positions, not its statements).
   */
  source: SourceText;
  /** Up <-> down pairing. */
  pair?: MigrationFile;
}

const UP = /^(\d{3,})_([a-z][a-z0-9]*(?:_[a-z0-9]+){2,})\.sql$/;
const DOWN = /^(\d{3,})_down\.sql$/;
const DOWN_LONG = /^(\d{3,})_([a-z][a-z0-9]*(?:_[a-z0-9]+){2,})\.down\.sql$/;
const LOOKS_DOWN = /(^|[._-])down\.sql$/i;

export function checksumOf(text: string): string {
  return sha256Hex(stripBom(text).replace(/\r\n/g, '\n'));
}

export function toRelPath(abs: string, cwd = process.cwd()): string {
  // The common cases without path.relative (a few microseconds a file, thousands of files): a path
  // under cwd, or an absolute one outside it.
  const prefix = cwd.endsWith(path.sep) ? cwd : cwd + path.sep;
  let rel: string;
  const plain = (p: string) => path.isAbsolute(p) && !p.includes(`${path.sep}.`) && !p.includes(`${path.sep}${path.sep}`);
  if (process.platform !== 'win32' && plain(abs) && plain(cwd)) rel = abs.startsWith(prefix) ? abs.slice(prefix.length) : abs;
  else {
    const relative = path.relative(cwd, abs);
    rel = relative && !relative.startsWith('..') ? relative : abs;
  }
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** The digits a name starts with (after an optional `v`, `_` and `-` between them ignored; at most 30), or ''. */
function leadingDigits(name: string): string {
  let i = name.charCodeAt(0) === 0x76 || name.charCodeAt(0) === 0x56 ? 1 : 0;
  let digits = '';
  for (; i < name.length && digits.length < 30; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits += name[i];
    else if (!digits || (c !== 0x5f && c !== 0x2d)) break;
  }
  return digits;
}

function orderKey(name: string, dir: string): bigint {
  const digits = leadingDigits(name) || leadingDigits(basename(dir));
  return digits ? BigInt(digits) : -1n;
}

/** The schema names, longest first (sorted once per list: every file name is split against the same one). */
const byLength = new WeakMap<string[], string[]>();
function longestFirst(schemaNames: string[]): string[] {
  let sorted = byLength.get(schemaNames);
  if (!sorted) byLength.set(schemaNames, (sorted = [...schemaNames].sort((a, b) => b.length - a.length)));
  return sorted;
}

/** Splits `kernel_create_tenants` into schema, action and entity, preferring configured schema names. */
export function splitName(rest: string, schemaNames: string[]): { schema: string; action: string; entity: string } {
  const known = longestFirst(schemaNames).find((s) => rest.startsWith(`${s}_`));
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

/**
 * The name `name` most likely meant, when a mechanical fix puts it in the grammar with one of the
 * configured schemas: lower case (camelCase split into words), other separators as `_`, a `.sql` extension
 * in lower case, no `.up` before it, a sequence of 3+ digits. Undefined when no such fix does: a name
 * without a schema, action and entity needs a person.
 */
export function suggestMigrationName(name: string, schemaNames: string[]): string | undefined {
  const m = /^(.*?)(?:([._-]down)|[._-]up)?\.sql$/i.exec(name);
  if (!m) return undefined;
  const stem = m[1]!
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d{1,2})(?=_|$)/, (digits) => digits.padStart(3, '0'));
  const suggestion = m[2] ? `${stem}${/^\d+$/.test(stem) ? '_down' : '.down'}.sql` : `${stem}.sql`;
  if (suggestion === name) return undefined;
  const info = describeName(suggestion, schemaNames);
  return info.grammarOk && (info.schema === undefined || schemaNames.includes(info.schema)) ? suggestion : undefined;
}

function readText(absPath: string, relPath: string): string {
  try {
    return readFileSync(absPath, 'utf8');
  } catch (error) {
    throw readError(relPath, (error as Error).message.split('\n')[0]!);
  }
}

const readError = (relPath: string, reason: string) => new FileError(`Cannot read ${relPath}: ${reason} — check the path and its permissions.`);

/** Reads a migration file now (or takes the given text). */
export function readMigrationFile(absPath: string, schemaNames: string[], text?: string, cwd = process.cwd()): MigrationFile {
  const relPath = toRelPath(absPath, cwd);
  return new LoadedFile(absPath, relPath, schemaNames, text ?? readText(absPath, relPath));
}

/**
 * A migration file; checksum, positions and statements are worked out on first use. Its text is read
 * at once, or (`ahead`) handed over by the parser thread together with the parse.
 */
class LoadedFile implements MigrationFile {
  readonly name: string;
  readonly dir: string;
  readonly order: bigint;
  readonly role: MigrationRole;
  readonly grammarOk: boolean;
  readonly seq?: number;
  readonly schema?: string;
  readonly action?: string;
  readonly entity?: string;
  pair?: MigrationFile;
  #text?: string;
  #checksum?: string;
  #source?: SourceText;
  #parsed?: ParsedSql;
  #ahead?: AheadFiles;
  #index = -1;

  constructor(
    readonly path: string,
    readonly relPath: string,
    schemaNames: string[],
    text: string | undefined,
  ) {
    if (text !== undefined) this.#text = stripBom(text);
    this.name = basename(path);
    this.dir = dirname(path);
    const info = describeName(this.name, schemaNames);
    this.role = info.role;
    this.grammarOk = info.grammarOk;
    this.seq = info.seq;
    this.schema = info.schema;
    this.action = info.action;
    this.entity = info.entity;
    this.order = orderKey(this.name, this.dir);
  }

  /** Hands the file to the parser thread: it is file `index` there. */
  parseAhead(ahead: AheadFiles, index: number): void {
    this.#ahead = ahead;
    this.#index = index;
  }

  /** The text, BOM removed: from the parser thread when it has read it already, else read here. */
  get text(): string {
    if (this.#text === undefined) {
      const handed = this.#ahead?.peekText(this.#index);
      this.#text = stripBom(handed ?? readText(this.path, this.relPath));
    }
    return this.#text;
  }

  /** A lint reads it only to compare with aibos.sum or a git ref. */
  get checksum(): string {
    return (this.#checksum ??= checksumOf(this.text));
  }

  get source(): SourceText {
    return (this.#source ??= new SourceText(this.text));
  }

  /** `migrate up` with nothing pending reads only names and checksums. */
  get parsed(): ParsedSql {
    if (this.#parsed === undefined) {
      const handed = this.#ahead?.take(this.#index);
      this.#ahead = undefined;
      if (handed?.readError !== undefined) throw readError(this.relPath, handed.readError);
      if (this.#text === undefined && handed?.text !== undefined) this.#text = stripBom(handed.text);
      this.#parsed = parseSql(this.source, handed?.result ?? undefined);
    }
    return this.#parsed;
  }
}

/** The migrations folder's own `.sql` files (any case; not its subfolders), by name. */
export function folderSqlNames(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.sql'));
}

/** `dir`, when the migrations folder exists; else the error every command gives without one. */
export function requireMigrationsFolder(dir: string, cwd = process.cwd()): string {
  if (!existsSync(dir)) throw new FileError(`No migrations folder at ${toRelPath(dir, cwd)} — run \`aibos init\`, or set migrationsDir in the config.`);
  return dir;
}

/** Every `*.sql` under the given files and folders (recursive), absolute and de-duplicated. */
/** `.sql`, plus the `.sql.postgres` dialect variants some projects keep next to `.sql.sqlite` ones. */
export function isSqlFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.sql') || lower.endsWith('.sql.postgres');
}

/** `onMany`: called once, as soon as the walk has found `count` files (a large input can start work early). */
export function findSqlFiles(paths: string[], cwd = process.cwd(), onMany?: { count: number; call: () => void }, named?: Set<string>): string[] {
  const found = new Set<string>();
  let many = onMany;
  const walk = (dir: string) => {
    // `dir` is absolute and normalised (path.resolve, then names read from the disk): a separator and the
    // name make the entry's path. path.join normalises each one again, ~4-12 µs a call in a run this short.
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const full = prefix + entry.name;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && isSqlFileName(entry.name)) {
        found.add(full);
        if (many && found.size >= many.count) {
          many.call();
          many = undefined;
        }
      }
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
    // A file named outright is taken only if it is SQL: `lint migrations/*` also names aibos.sum and any README.
    else if (isSqlFileName(path.basename(abs))) {
      found.add(abs);
      named?.add(abs);
    }
  }
  return [...found];
}

/** `CREATE EXTENSION [IF NOT EXISTS] name`, the name bare or quoted. */
const CREATE_EXTENSION = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"([^"]+)"|([a-z_][\w$]*))/gi;

/**
 * The extensions the files create, read from their text (also inside DO blocks and dynamic SQL;
 * nothing is parsed): what an embedded database must have on hand for them. A file that cannot be
 * read is skipped here and reported where it is used.
 */
export function extensionsCreatedIn(files: readonly MigrationFile[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      text = file.text;
    } catch {
      continue;
    }
    for (const m of text.matchAll(CREATE_EXTENSION)) names.add(m[1] ?? m[2]!.toLowerCase());
  }
  return [...names];
}

export function compareMigrations(a: MigrationFile, b: MigrationFile): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  // An up before its down; then by path for a stable order.
  if (a.role !== b.role && a.dir === b.dir) return a.role === 'up' ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * The names of the up a down named `<base>.down.sql` (or `_down`, `-down`) undoes: `<base>.sql`, `<base>.up.sql`,
 * `<base>_up.sql`, and the ups ory's migrations write next to a down for every dialect (`<base>.postgres.up.sql`,
 * `<base>.autocommit.up.sql`).
 */
const UP_INFIXES = ['postgres', 'postgresql', 'autocommit', 'postgres.autocommit'];

/** `<base>` of a down named `<base>.down.sql`, `<base>_down.sql` or `<base>-down.sql` ('' for `down.sql`). */
function downBase(name: string): string {
  return name.replace(/(\.|_|-)?down\.sql$/i, '');
}

function upNamesFor(base: string): string[] {
  return [`${base}.sql`, `${base}.up.sql`, `${base}_up.sql`, ...UP_INFIXES.map((infix) => `${base}.${infix}.up.sql`)];
}

/** Pairs each down with its up: `101_down.sql` with `101_…sql`, `x.down.sql` with `x.sql`/`x.up.sql`, `down.sql` with `up.sql`. */
export function pairMigrations(files: MigrationFile[]): void {
  const byDir = new Map<string, MigrationFile[]>();
  for (const f of files) {
    const list = byDir.get(f.dir);
    if (list) list.push(f);
    else byDir.set(f.dir, [f]);
  }
  for (const list of byDir.values()) {
    // The first up (in migration order) with each sequence number and each name.
    const bySeq = new Map<number, { up: MigrationFile; at: number }>();
    const byName = new Map<string, { up: MigrationFile; at: number }>();
    let upSql: { up: MigrationFile; at: number } | undefined;
    list.forEach((f, at) => {
      if (f.role !== 'up') return;
      if (f.seq !== undefined && f.grammarOk && !bySeq.has(f.seq)) bySeq.set(f.seq, { up: f, at });
      if (!byName.has(f.name)) byName.set(f.name, { up: f, at });
      if (!upSql && f.name.toLowerCase() === 'up.sql') upSql = { up: f, at };
    });
    for (const down of list) {
      if (down.role !== 'down') continue;
      const base = downBase(down.name);
      let up = down.seq !== undefined && down.grammarOk ? bySeq.get(down.seq)?.up : undefined;
      if (!up) {
        const named = [...upNamesFor(base).map((n) => byName.get(n)), base === '' ? upSql : undefined];
        let first: { up: MigrationFile; at: number } | undefined;
        for (const c of named) if (c && (!first || c.at < first.at)) first = c;
        up = first?.up;
      }
      if (up && !up.pair) {
        up.pair = down;
        down.pair = up;
      }
    }
  }
}

/**
 * Whether `names` (a folder's `.sql` files) hold a down that pairMigrations would pair with `up`: for a
 * lint of files named one by one, whose downs are next to them on disk but not in the run.
 */
export function hasDownAmong(up: MigrationFile, names: readonly string[]): boolean {
  for (const name of names) {
    const down = describeName(name, []);
    if (down.role !== 'down') continue;
    if (down.seq !== undefined && down.grammarOk) {
      if (up.grammarOk && up.seq === down.seq) return true;
      continue;
    }
    const base = downBase(name);
    if (upNamesFor(base).includes(up.name) || (base === '' && up.name.toLowerCase() === 'up.sql')) return true;
  }
  return false;
}

export interface MigrationSet {
  /** Every file, in migration order. */
  files: MigrationFile[];
  /** Absolute paths of the files named one by one (not found in a folder), when there are any. */
  named?: ReadonlySet<string>;
  /** Up files in order. */
  ups: MigrationFile[];
  downs: MigrationFile[];
}

/**
 * Puts the files in migration order and hands them to the parser thread in that order: their texts
 * when given (`texts`), else their paths, and the thread reads them too (sql/parallel.ts).
 */
export function loadMigrationFilesAhead(absPaths: string[], schemaNames: string[], cwd: string, texts: Map<string, string> | undefined, parseAhead: ParseAhead): MigrationSet {
  const files = absPaths.map((p) => new LoadedFile(p, toRelPath(p, cwd), schemaNames, texts?.get(p))).sort(compareMigrations);
  // The parser thread starts on the first files while this one pairs downs with ups (pairing keeps the order).
  const ahead = parseAhead.start(texts ? { texts: files.map((f) => f.text) } : { paths: files.map((f) => f.path) });
  files.forEach((f, i) => f.parseAhead(ahead, i));
  return pairedSet(files);
}

/**
 * The files, in migration order, read now; `readLater`: each is read on first use of its text (a
 * `migrate up` with nothing pending reads only the applied ups, for their checksums).
 */
export function loadMigrationFiles(absPaths: string[], schemaNames: string[], cwd = process.cwd(), texts?: Map<string, string>, readLater = false): MigrationSet {
  return buildSet(absPaths.map((p) => (readLater && !texts?.has(p) ? new LoadedFile(p, toRelPath(p, cwd), schemaNames, undefined) : readMigrationFile(p, schemaNames, texts?.get(p), cwd))));
}

function buildSet(unordered: MigrationFile[]): MigrationSet {
  return pairedSet(unordered.sort(compareMigrations));
}

/** `files` in migration order, each down paired with its up. */
function pairedSet(files: MigrationFile[]): MigrationSet {
  pairMigrations(files);
  return { files, ups: files.filter((f) => f.role === 'up'), downs: files.filter((f) => f.role === 'down') };
}
