#!/usr/bin/env node
// `node bench/parser-floor.mjs FILE_LIST` — the parser alone, no lint: what reading and parsing the files
// costs with the parser aibos is built on, arranged as the lint arranges it. The lint's own parser thread
// (dist/cli/parse-worker.cjs: it reads each file and runs libpg-query on V8's baseline compiler, as
// bin/aibos.js sets it) is given the paths; this thread decodes every parse tree from libpg-query's JSON, as
// the lint must before any rule can look at it. Prints the number of files and statements.
//
// run.mjs times this next to squawk: whatever the 40 rules, the catalog, the findings and the report
// cost comes on top of it (bench/README.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, Worker } from 'node:worker_threads';

setFlagsFromString('--liftoff-only');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const paths = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);

// The worker's protocol (src/sql/parallel.ts): a port for the batches, then the job with a slot per file.
const { port1: inbox, port2: outbox } = new MessageChannel();
const worker = new Worker(path.join(ROOT, 'dist', 'cli', 'parse-worker.cjs'), { workerData: { port: outbox }, transferList: [outbox] });
worker.on('error', (error) => {
  process.stderr.write(`parser-floor: ${error.message}\n`);
  process.exit(2);
});
let statements = 0;
inbox.on('message', ({ results, last }) => {
  // A syntax error or an empty file has no tree: the lint reports it and goes on.
  for (const result of results) if (result?.json) statements += (JSON.parse(result.json).stmts ?? []).length;
  if (last) {
    process.stdout.write(`${paths.length} files, ${statements} statements\n`);
    inbox.close();
    void worker.terminate();
  }
});
worker.postMessage({ paths, slots: new Int32Array(new SharedArrayBuffer(Math.max(paths.length, 1) * 4)) });
