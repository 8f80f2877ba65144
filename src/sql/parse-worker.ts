/**
 * Worker thread of `prepareParseAhead` (parallel.ts): claims the files in order,
 * parses them with the compiled parser module it is given, and posts
 * libpg-query's JSON in batches; the main thread builds the statements.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { CLAIMED, DONE, FREE, type ParsedBatch } from './parallel.js';
import { skipTrivia } from './lexer.js';
import { loadParser, parseToJson, type RawParseResult } from './pg-wasm.js';

interface Setup {
  module: WebAssembly.Module;
  port: MessagePort;
}

interface Job {
  texts: string[];
  slots: Int32Array;
}

/** Files per message: fewer messages, but the main thread may wait for a whole batch. */
const BATCH_FILES = 16;
const BATCH_BYTES = 64 * 1024;

const { module, port } = workerData as Setup;
// Loads the parser while the main thread still reads and orders the files; the job comes after.
const ready = loadParser(module);

parentPort!.once('message', async ({ texts, slots }: Job) => {
  await ready;
  let batch: ParsedBatch = { indices: [], results: [], last: false };
  let bytes = 0;
  const flush = (last: boolean) => {
    batch.last = last;
    port.postMessage(batch);
    // Done only after the post: the main thread reads the port once it sees DONE.
    for (const i of batch.indices) {
      Atomics.store(slots, i, DONE);
      Atomics.notify(slots, i);
    }
    batch = { indices: [], results: [], last: false };
    bytes = 0;
  };
  for (let i = 0; i < texts.length; i++) {
    if (Atomics.compareExchange(slots, i, FREE, CLAIMED) !== FREE) continue;
    const input = Buffer.from(texts[i]!, 'utf8');
    const result: RawParseResult | null = skipTrivia(input, 0) < input.length ? parseToJson(input) : null;
    batch.indices.push(i);
    batch.results.push(result);
    bytes += input.length;
    if (batch.indices.length >= BATCH_FILES || bytes >= BATCH_BYTES) flush(false);
  }
  flush(true);
});
