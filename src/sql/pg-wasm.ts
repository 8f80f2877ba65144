/**
 * A thin binding to libpg-query's WebAssembly build (the real Postgres parser).
 *
 * We call the emscripten module directly instead of the package's wrapper for
 * three reasons, all measured (bench/README.md): the module is compiled
 * synchronously, so a short run does not sit idle waiting for a background
 * compile; the SQL goes in as the UTF-8 bytes SourceText already holds (the
 * wrapper re-encodes every string in JavaScript); and a compiled module can be
 * handed to worker threads, which then skip compiling it again.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface EmscriptenModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(ptr: number): number;
  _wasm_free_parse_result(ptr: number): void;
  UTF8ToString(ptr: number): string;
}

type Factory = (options: object) => Promise<EmscriptenModule>;

export interface RawParseError {
  message: string;
  /** 0-based position of the parser's cursor, as libpg-query reports it. */
  cursorPosition: number;
}

export type RawParseResult = { json: string; error?: undefined } | { json?: undefined; error: RawParseError };

let compiled: WebAssembly.Module | undefined;
let instance: EmscriptenModule | undefined;
let loading: Promise<EmscriptenModule> | undefined;

/** The parser's compiled module (compiled once per thread, or given by the thread that did). */
export function parserWasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm')));
  return compiled;
}

/** The compiled module when this thread has one, without compiling it. */
export function compiledParser(): WebAssembly.Module | undefined {
  return compiled;
}

/** Instantiates the parser; `module` reuses one compiled elsewhere (a worker gets it from the main thread). */
export function loadParser(module?: WebAssembly.Module): Promise<EmscriptenModule> {
  if (module) compiled ??= module;
  // emscripten's JavaScript half of the parser (CommonJS), imported when first needed. The CommonJS bundles
  // (scripts/bundle.mjs) carry it, so V8's code cache holds it too: its load and compile were ~6 ms of a
  // one-file lint.
  loading ??= import('libpg-query/wasm/libpg-query.js').then(({ default: createParser }) => (createParser as Factory)({
    instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) {
      done(new WebAssembly.Instance(parserWasmModule(), imports));
      return {};
    },
  })).then((m) => (instance = m));
  return loading;
}

function readU32(heap: Uint8Array, ptr: number): number {
  return (heap[ptr]! | (heap[ptr + 1]! << 8) | (heap[ptr + 2]! << 16) | (heap[ptr + 3]! << 24)) >>> 0;
}

/** Thrown by a parse on a thread whose parser was never loaded (the lint leaves it to the worker). */
export class ParserNotLoaded extends Error {
  constructor() {
    super('aibos: the SQL parser is not loaded on this thread (await loadParser() first)');
  }
}

/** Parses UTF-8 SQL; returns the parse tree as libpg-query's JSON text, or the syntax error. */
export function parseToJson(sql: Uint8Array): RawParseResult {
  const m = instance;
  if (!m) throw new ParserNotLoaded();
  const input = m._malloc(sql.length + 1);
  let result = 0;
  try {
    // _malloc may grow memory, which replaces HEAPU8: read it after.
    m.HEAPU8.set(sql, input);
    m.HEAPU8[input + sql.length] = 0;
    result = m._wasm_parse_query_raw(input);
    if (!result) throw new Error('aibos: the SQL parser could not allocate its result');
    const heap = m.HEAPU8;
    // struct PgQueryParseResult { char* parse_tree; char* stderr_buffer; PgQueryError* error; }
    const tree = readU32(heap, result);
    const error = readU32(heap, result + 8);
    if (error) {
      // struct PgQueryError { char* message; char* funcname; char* filename; int lineno; int cursorpos; char* context; }
      const message = readU32(heap, error);
      const cursor = readU32(heap, error + 16) | 0;
      return { error: { message: message ? m.UTF8ToString(message) : 'syntax error', cursorPosition: cursor > 0 ? cursor - 1 : 0 } };
    }
    return { json: tree ? m.UTF8ToString(tree) : '{}' };
  } finally {
    m._free(input);
    if (result) m._wasm_free_parse_result(result);
  }
}

/**
 * Statements of the common kinds: the parser's WebAssembly is compiled function by function on first use
 * (~40 ms for the first files); parsing these while a thread would otherwise wait moves that cost there.
 */
const WARM_UP = `CREATE TABLE IF NOT EXISTS s.t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n text NOT NULL DEFAULT 'x', at timestamptz, f uuid REFERENCES s.u (id) ON DELETE CASCADE, CHECK (n <> ''));
ALTER TABLE s.t ADD COLUMN IF NOT EXISTS c integer, ALTER COLUMN n SET NOT NULL, DROP CONSTRAINT k, ADD CONSTRAINT u UNIQUE (n);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t USING btree (lower(n)) WHERE at IS NULL;
CREATE OR REPLACE VIEW s.v AS SELECT a.id, count(*) FROM s.t a JOIN s.u b ON b.id = a.f WHERE a.n LIKE 'x%' GROUP BY 1;
INSERT INTO s.t (n) VALUES ('a'), ('b') ON CONFLICT DO NOTHING; UPDATE s.t SET n = 'c' WHERE id = 1; DELETE FROM s.t WHERE id IN (SELECT 1);
CREATE FUNCTION s.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
DROP TABLE IF EXISTS s.x CASCADE; COMMENT ON TABLE s.t IS 'c'; CREATE TYPE s.e AS ENUM ('a'); GRANT SELECT ON s.t TO r;`;

/** Parses WARM_UP once (the parser must be loaded). */
export function warmUpParser(): void {
  parseToJson(Buffer.from(WARM_UP, 'utf8'));
}
