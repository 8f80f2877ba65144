/**
 * Worker thread of `startParseAhead` (parallel.ts): goes through the files in order,
 * reads them when given their paths, parses them, and posts libpg-query's
 * JSON (and the texts it read) in batches; the main thread builds the statements.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { DONE, type ParsedBatch } from './parallel.js';
import { skipTrivia } from './lexer.js';
import { loadParser, parseToJson, warmUpParser, type RawParseResult } from './pg-wasm.js';

interface Setup {
  /** The main thread's compiled parser, when it has one; else this thread compiles it. */
  module?: WebAssembly.Module;
  port: MessagePort;
}

/** The files in the order the main thread will ask for them: their texts, or their paths to read. */
interface Job {
  texts?: string[];
  paths?: string[];
  slots: Int32Array;
}

/**
 * Files per message: fewer messages, but the main thread may wait for a whole batch. The first batches
 * are small, so the main thread can start on the first files at once.
 */
const BATCH_FILES = 16;
const BATCH_BYTES = 64 * 1024;
const FIRST_BATCHES = [1, 2, 4, 8];

const { module, port } = workerData as Setup;
/** For the tests of the main thread's fallback: the worker stops for good after this many files. */
const stopAfter = Number(process.env.AIBOS_TEST_PARSE_WORKER_STOPS_AFTER ?? Infinity);
// Loads the parser while the main thread still finds, reads and orders the files; the job comes after.
const ready = loadParser(module).then(warmUpParser);

parentPort!.once('message', async ({ texts, paths, slots }: Job) => {
  await ready;
  const count = texts ? texts.length : paths!.length;
  const newBatch = (): ParsedBatch => (paths ? { indices: [], results: [], texts: [], last: false } : { indices: [], results: [], last: false });
  let batch = newBatch();
  let bytes = 0;
  let sent = 0;
  const flush = (last: boolean) => {
    batch.last = last;
    port.postMessage(batch);
    // Done only after the post: the main thread reads the port once it sees DONE.
    for (const i of batch.indices) {
      Atomics.store(slots, i, DONE);
      Atomics.notify(slots, i);
    }
    batch = newBatch();
    bytes = 0;
  };
  for (let i = 0; i < count; i++) {
    if (i === stopAfter) {
      // Falls silent, as a worker that crashed mid-parse would.
      flush(false);
      return;
    }
    let text = texts?.[i];
    if (text === undefined) {
      try {
        text = readFileSync(paths![i]!, 'utf8');
        batch.texts!.push(text);
      } catch (error) {
        batch.indices.push(i);
        batch.results.push(null);
        batch.texts!.push({ readError: (error as Error).message.split('\n')[0]! });
        continue;
      }
      // Parsed as the main thread will hold it: without the BOM (see stripBom).
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const input = Buffer.from(text, 'utf8');
    const result: RawParseResult | null = skipTrivia(input, 0) < input.length ? parseToJson(input) : null;
    batch.indices.push(i);
    batch.results.push(result);
    bytes += input.length;
    if (batch.indices.length >= (FIRST_BATCHES[sent] ?? BATCH_FILES) || bytes >= BATCH_BYTES) {
      flush(false);
      sent++;
    }
  }
  flush(true);
});
