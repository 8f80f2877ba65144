#!/usr/bin/env node
// `node bench/parser-floor.mjs FILE_LIST` — the parser alone, no lint: what reading and parsing the files
// costs with the parser aibos is built on, arranged as the lint arranges it. A worker thread reads each file
// and runs libpg-query (aibos's own binding, dist/src/sql/pg-wasm.js, on V8's baseline compiler as
// bin/aibos.js sets it); this thread decodes every parse tree from libpg-query's JSON, as the lint must
// before any rule can look at it. Prints the number of files and statements.
//
// run.mjs times this next to squawk: whatever the 40 rules, the catalog, the findings and the report
// cost comes on top of it (bench/README.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

setFlagsFromString('--liftoff-only');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadParser, parseToJson, parserWasmModule } = await import(path.join(ROOT, 'dist', 'src', 'sql', 'pg-wasm.js'));
const BATCH = 16;

if (isMainThread) {
  const files = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { files, module: parserWasmModule() } });
  let done = 0;
  let statements = 0;
  worker.on('message', (results) => {
    for (const json of results) {
      if (json) statements += (JSON.parse(json).stmts ?? []).length;
      done++;
    }
    if (done === files.length) {
      process.stdout.write(`${done} files, ${statements} statements\n`);
      void worker.terminate();
    }
  });
  worker.on('error', (error) => {
    process.stderr.write(`parser-floor: ${error.message}\n`);
    process.exit(2);
  });
} else {
  await loadParser(workerData.module);
  let batch = [];
  for (const file of workerData.files) {
    const bytes = readFileSync(file);
    // A syntax error counts as parsed (null), as an empty file does: the lint reports it and goes on.
    batch.push(bytes.length ? (parseToJson(bytes).json ?? null) : null);
    if (batch.length === BATCH) {
      parentPort.postMessage(batch);
      batch = [];
    }
  }
  parentPort.postMessage(batch);
}
