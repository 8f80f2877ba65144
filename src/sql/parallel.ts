/**
 * Parsing big inputs on a second thread, ahead of the lint.
 *
 * The parser is single-threaded WASM. For a large input (the 4,400-file
 * corpus) a worker parses the files in migration order while this thread
 * turns each result into statements and lints it: by the time the engine
 * reaches a file, the worker has usually parsed it already. Only libpg-query's
 * JSON text crosses threads; statements are built here, as always.
 *
 * Hand-over without the event loop (the lint is synchronous): each file has a
 * slot in shared memory — free, claimed, done — and results arrive on a
 * message port read with `receiveMessageOnPort`. Whoever claims a free slot
 * parses that file, so this thread parses the first files itself while the
 * worker starts, and never waits on a file nobody is parsing. If the worker
 * falls silent, this thread parses the file itself: the result is the same.
 *
 * Small inputs (a pre-commit hook's few files) never start a worker: its
 * start-up would cost more than it saves.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { timing } from '../lint/timing.js';
import { parserWasmModule, type RawParseResult } from './pg-wasm.js';

/** Below this much SQL, one thread is faster (measured: bench/README.md). */
export const PARALLEL_MIN_BYTES = 512 * 1024;

const WORKER = new URL('./parse-worker.js', import.meta.url);

/** Slot states, shared with the worker (parse-worker.ts). */
export const FREE = 0;
export const CLAIMED = 1;
export const DONE = 2;

/** How long to wait for a file the worker claimed before parsing it here. */
const PATIENCE_MS = 2000;

/** What the worker posts: the results of a run of files, by index; null = nothing to parse (empty or comments only). */
export interface ParsedBatch {
  indices: number[];
  results: (RawParseResult | null)[];
  /** True on the last batch: the worker has nothing left to claim. */
  last: boolean;
}

/** Returns text i's parser result when another thread produced it; undefined means "parse it yourself". */
export type TakeParsed = (index: number) => RawParseResult | undefined;

/** A worker started early, loading the parser while this thread still reads and orders the files. */
export interface ParseAhead {
  /** Hands over the texts, in the order they will be asked for. */
  start(texts: string[]): TakeParsed;
}

/**
 * Starts a parser worker when `totalChars` of SQL is enough to make one pay; undefined when one
 * thread is the better choice (or there is no compiled worker, as when tests run the sources).
 */
export async function prepareParseAhead(totalChars: number): Promise<ParseAhead | undefined> {
  // The compiled worker sits next to this file in dist/; from TypeScript sources (tests) there is none.
  if (totalChars < PARALLEL_MIN_BYTES || !existsSync(fileURLToPath(WORKER))) return undefined;
  // Imported only here: a small lint (a pre-commit hook) never starts a thread, so it skips loading the module.
  const { Worker, MessageChannel, receiveMessageOnPort } = await import('node:worker_threads');
  const { port1: inbox, port2: outbox } = new MessageChannel();
  let worker: Worker | undefined = new Worker(WORKER, { workerData: { module: parserWasmModule(), port: outbox }, transferList: [outbox] });
  worker.unref();
  inbox.unref();
  // A worker that fails to start or dies leaves its claimed slots behind: they are parsed here after PATIENCE_MS.
  worker.on('error', () => undefined);
  let finished = false;
  const stop = () => {
    finished = true;
    void worker?.terminate();
    worker = undefined;
    inbox.close();
  };

  return {
    start(texts) {
      const slots = new Int32Array(new SharedArrayBuffer(Math.max(texts.length, 1) * 4));
      const results: (RawParseResult | null | undefined)[] = new Array(texts.length);
      const counts = { worker: 0, here: 0 };
      timing?.note(() => `parsing: ${counts.worker} files on the worker thread, ${counts.here} on the main thread`);
      worker?.postMessage({ texts, slots });
      // Reads batches only up to the one holding `index`: the rest wait in the port's queue, outside the
      // JavaScript heap, instead of surviving collections here until their turn (the worker runs far ahead).
      const drain = (index: number) => {
        while (!finished && results[index] === undefined) {
          const m = receiveMessageOnPort(inbox);
          if (!m) return;
          const batch = m.message as ParsedBatch;
          batch.indices.forEach((i, k) => (results[i] = batch.results[k]));
          if (batch.last) stop();
        }
      };
      return (index) => {
        if (Atomics.compareExchange(slots, index, FREE, CLAIMED) === FREE) {
          if (timing) counts.here++;
          return undefined;
        }
        for (let waited = 0; results[index] === undefined; ) {
          drain(index);
          if (results[index] !== undefined) break;
          if (finished) return undefined;
          if (waited >= PATIENCE_MS) {
            // The worker went silent (it died, or the machine is starved): parse the rest here.
            stop();
            return undefined;
          }
          // Sleeps until the worker marks the slot done (it posts the batch first), or a little while.
          const started = performance.now();
          if (Atomics.load(slots, index) !== DONE) Atomics.wait(slots, index, CLAIMED, 50);
          waited += performance.now() - started;
        }
        const result = results[index];
        results[index] = undefined;
        if (timing) (result === undefined ? counts.here++ : counts.worker++);
        return result ?? undefined;
      };
    },
  };
}
