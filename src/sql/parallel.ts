/**
 * Parsing big inputs on a second thread, ahead of the lint.
 *
 * The parser is single-threaded WASM. For a large input (the 4,400-file
 * corpus) a worker reads and parses the files in migration order while this
 * thread turns each result into statements and lints it: by the time the
 * engine reaches a file, the worker has usually parsed it already. Only
 * libpg-query's JSON (and the texts the worker read) crosses threads;
 * statements are built here, as always.
 *
 * Hand-over without the event loop (the lint is synchronous): each file has a
 * slot in shared memory that the worker marks done once it has posted the
 * file's batch, and results arrive on a message port read with
 * `receiveMessageOnPort`. The worker goes in order; this thread waits for the
 * file it needs and parses a file itself only once the worker is gone (it
 * finished, failed, or fell silent): the result is the same.
 *
 * Small inputs (a pre-commit hook's few files) never start a worker: its
 * start-up would cost more than it saves.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { timing } from '../lint/timing.js';
import { compiledParser, type RawParseResult } from './pg-wasm.js';

/** Below this much SQL in fewer than 2,000 files, one thread is faster (measured: bench/README.md). */
export const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;

/** The bundled parser thread (scripts/bundle.mjs); where it is absent (the sources run as they are), one thread parses. */
const WORKER = new URL('./parse-worker.cjs', import.meta.url);

/** Slot states, shared with the worker (parse-worker.ts): not yet posted, posted. */
export const PENDING = 0;
export const DONE = 1;

/** How long to wait without news of the file asked for before parsing the rest here. */
const PATIENCE_MS = 2000;

/**
 * What the worker posts: the results of a run of files, by index; null = nothing to parse (empty or
 * comments only). With a job of paths, also each file's text as read, or why it could not be read.
 */
export interface ParsedBatch {
  indices: number[];
  results: (RawParseResult | null)[];
  texts?: (string | { readError: string })[];
  /** True on the last batch: the worker has nothing left to parse. */
  last: boolean;
}

/** A file as the worker handed it over. */
export interface ParsedAhead {
  /** The parser's result; null when there was nothing to parse. */
  result: RawParseResult | null;
  /** The text as the worker read it (BOM included), for a job of paths. */
  text?: string;
  /** Why the worker could not read the file (the result is then null). */
  readError?: string;
}

/** File i as the worker handed it over; undefined means "read and parse it yourself". */
export type TakeParsed = (index: number) => ParsedAhead | undefined;

/** What the files ask of the worker once it has their order. */
export interface AheadFiles {
  /** Waits for file i (unless the worker is gone); each file is taken once. */
  take: TakeParsed;
  /** File i's text if the worker has already handed it over, without waiting. */
  peekText(index: number): string | undefined;
}

/** A worker started early, loading the parser while this thread still finds, reads and orders the files. */
export interface ParseAhead {
  /**
   * Hands over the files, in the order they will be asked for: their texts, or their paths (the worker
   * then reads them too).
   */
  start(job: { texts: string[] } | { paths: string[] }): AheadFiles;
  /** Stops the worker unused (the input turned out too small to make it pay). */
  cancel(): void;
}

const require = createRequire(import.meta.url);

/**
 * Starts a parser worker, to be handed the files once they are found and ordered (or cancelled when
 * they turn out too few); undefined when there is no compiled worker, as when tests run the sources.
 * The worker needs ~150 ms to start and load its parser: a caller that expects a large input starts
 * it before it has found all the files.
 */
export function startParseAhead(): ParseAhead | undefined {
  // The compiled worker sits next to this file in dist/; from TypeScript sources (tests) there is none.
  if (!existsSync(fileURLToPath(WORKER))) return undefined;
  // Loaded only here (synchronously, so the worker starts now): a lint of a few files never starts a thread.
  const { Worker, MessageChannel, receiveMessageOnPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { port1: inbox, port2: outbox } = new MessageChannel();
  // The worker compiles the parser itself when this thread has not (a lint leaves all parsing to it).
  let worker: Worker | undefined = new Worker(WORKER, { workerData: { module: compiledParser(), port: outbox }, transferList: [outbox] });
  worker.unref();
  inbox.unref();
  // A worker that fails to start or dies goes silent: what it did not post is parsed here after PATIENCE_MS.
  worker.on('error', () => undefined);
  let finished = false;
  const stop = () => {
    finished = true;
    void worker?.terminate();
    worker = undefined;
    inbox.close();
  };

  return {
    cancel: stop,
    start(job) {
      const count = 'texts' in job ? job.texts.length : job.paths.length;
      const slots = new Int32Array(new SharedArrayBuffer(Math.max(count, 1) * 4));
      const results: (RawParseResult | null | undefined)[] = new Array(count);
      const texts: (string | { readError: string } | undefined)[] = new Array(count);
      const parsedThere = new Set<number>();
      const parsedHere = new Set<number>();
      const what = 'paths' in job ? 'reading and parsing' : 'parsing';
      timing?.note(() => `${what}: ${parsedThere.size} files on the worker thread, ${parsedHere.size} on the main thread`);
      worker?.postMessage({ ...job, slots });
      // Reads batches only up to the one holding `index`: the rest wait in the port's queue, outside the
      // JavaScript heap, instead of surviving collections here until their turn (the worker runs far ahead).
      const drain = (index: number) => {
        while (!finished && results[index] === undefined) {
          const m = receiveMessageOnPort(inbox);
          if (!m) return;
          const batch = m.message as ParsedBatch;
          batch.indices.forEach((i, k) => {
            results[i] = batch.results[k];
            if (batch.texts) texts[i] = batch.texts[k];
          });
          if (batch.last) stop();
        }
      };
      // Only the worker parses while it is alive: it goes in order, so it reaches every file; this thread
      // waits for it rather than parsing here (the first parse on a thread costs ~40 ms of WebAssembly
      // compilation, more than the worker needs to get there).
      const wait = (index: number): ParsedAhead | undefined => {
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
          const state = Atomics.load(slots, index);
          if (state !== DONE) Atomics.wait(slots, index, state, 50);
          waited += performance.now() - started;
        }
        const result = results[index]!;
        const text = texts[index];
        results[index] = texts[index] = undefined;
        return typeof text === 'object' ? { result, readError: text.readError } : { result, text };
      };
      return {
        take(index) {
          const started = timing ? performance.now() : 0;
          const got = wait(index);
          if (timing) {
            (got === undefined ? parsedHere : parsedThere).add(index);
            const waited = performance.now() - started;
            timing.add('waiting for the parser thread', waited);
            if (index === 0) timing.add('  of which for the first file', waited);
          }
          return got;
        },
        peekText(index) {
          drain(index);
          const text = texts[index];
          return typeof text === 'string' ? text : undefined;
        },
      };
    },
  };
}
