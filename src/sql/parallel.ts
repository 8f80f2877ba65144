/**
 * Parsing big inputs on two threads. The parser is single-threaded WASM and
 * parsing dominates a large lint (the 4,400-file corpus); a worker thread
 * parses the second half of the files while this thread parses the first.
 * Only the JSON text crosses threads; statements are built here, as always.
 * Small inputs (a pre-commit hook's few files) never start a worker: its
 * start-up would cost more than it saves.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { skipTrivia } from './lexer.js';
import { stripBom } from './parse.js';
import { parserWasmModule, parseToJson, type RawParseResult } from './pg-wasm.js';

/** Below this much SQL, one thread is faster (measured: bench/README.md). */
export const PARALLEL_MIN_BYTES = 512 * 1024;

const WORKER = new URL('./parse-worker.js', import.meta.url);

/** Text as the parser sees it (BOM stripped), or null when there is nothing to parse. */
function parserInput(text: string): Buffer | null {
  const bytes = Buffer.from(stripBom(text), 'utf8');
  return skipTrivia(bytes, 0) < bytes.length ? bytes : null;
}

/**
 * Parses every text; the result maps each key to libpg-query's JSON or syntax
 * error (keys whose text is empty or comments only are left out).
 */
export async function parseInParallel(texts: Map<string, string>): Promise<Map<string, RawParseResult>> {
  const entries = [...texts];
  const out = new Map<string, RawParseResult>();
  let total = 0;
  for (const [, text] of entries) total += text.length;
  // The compiled worker sits next to this file in dist/; from TypeScript sources (tests) there is none.
  const canSplit = total >= PARALLEL_MIN_BYTES && existsSync(fileURLToPath(WORKER));
  let half = entries.length;
  let remote: Promise<(RawParseResult | null)[]> | undefined;
  let worker: Worker | undefined;
  if (canSplit) {
    // Split by size, not count: the worker takes the second half of the bytes.
    let acc = 0;
    half = entries.findIndex(([, text]) => (acc += text.length) >= total / 2) + 1;
    // Imported only here: a small lint (a pre-commit hook) never starts a thread, so it skips loading the module.
    const { Worker } = await import('node:worker_threads');
    worker = new Worker(WORKER, { workerData: parserWasmModule() });
    const w = worker;
    remote = new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    w.postMessage(entries.slice(half).map(([, text]) => (parserInput(text) ? stripBom(text) : null)));
  }
  for (let i = 0; i < half; i++) {
    const [key, text] = entries[i]!;
    const input = parserInput(text);
    if (input) out.set(key, parseToJson(input));
  }
  if (remote) {
    try {
      const results = await remote;
      results.forEach((r, i) => {
        if (r) out.set(entries[half + i]![0], r);
      });
    } finally {
      void worker!.terminate();
    }
  }
  return out;
}
