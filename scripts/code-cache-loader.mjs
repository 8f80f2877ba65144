// dist/cli/<command>-command.js, written by scripts/bundle.mjs from scripts/code-cache-loader.mjs for each
// command bundled apart (`lint`, `migrate`).
//
// Runs the command's bundle (CommonJS, every module it needs in one file) with V8's code cache: the
// bytecode of the functions an earlier run compiled, so this run skips parsing and compiling them (a
// one-file lint ~8 ms, a no-op `migrate up` ~25 ms; bench/README.md). Node 20 has no code cache for ES
// modules, hence CommonJS and vm.Script here.
//
// The cache's name carries the bundle's hash (V8 itself only checks the source's length); V8 rejects
// a cache from another V8 version or other flags, and the bundle then compiles as usual. A missing or
// rejected cache is written when a run of the command ends (exit 0 or 1: it did its work; and only if
// the bundle's `writesCodeCache()`, when it has one, says this run compiled what later runs need), to a
// temporary file renamed into place; a folder that cannot be written is left alone.
// AIBOS_NO_CODE_CACHE=1 turns it off.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';

const BUNDLE = '__BUNDLE__';
const CACHE = '__CACHE__';
/** V8 flags the command runs with: part of what V8 checks a cache against, so set before compiling. */
const FLAGS = '__FLAGS__';

for (const flag of FLAGS) setFlagsFromString(flag);

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(here, BUNDLE);
const cacheFile = path.join(here, CACHE);
const useCache = !process.env.AIBOS_NO_CODE_CACHE;
let cachedData;
if (useCache)
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: this run writes one.
  }
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __aibosImport) {${readFileSync(file, 'utf8')}\n})`, {
  filename: file,
  cachedData,
});
const mod = { exports: {} };
// The bundle's import() of plugins and ES-only packages (execa, ora, PGlite) happens here, in an ES module.
script.runInThisContext()(mod.exports, createRequire(file), mod, file, here, (specifier) => import(specifier));

if (useCache && (cachedData === undefined || script.cachedDataRejected))
  process.once('exit', (code) => {
    // Only after the command did its work: a run that stopped early compiled little, and a cache that
    // is taken is never written again.
    if ((code !== 0 && code !== 1) || mod.exports.writesCodeCache?.() === false) return;
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only install runs without the cache.
      rmSync(temporary, { force: true });
    }
  });

export const register = mod.exports.register;
