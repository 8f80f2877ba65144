/**
 * Worker thread of `parseInParallel`: parses the SQL texts it is sent with the
 * compiled parser module it is given, and returns libpg-query's JSON (the main
 * thread turns that into statements, as for the texts it parses itself).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadParser, parseToJson, type RawParseResult } from './pg-wasm.js';

const ready = loadParser(workerData as WebAssembly.Module);

parentPort!.on('message', async (texts: (string | null)[]) => {
  await ready;
  const results: (RawParseResult | null)[] = texts.map((text) => (text === null ? null : parseToJson(Buffer.from(text, 'utf8'))));
  parentPort!.postMessage(results);
});
