// dist/cli/<command>-loader.cjs, written by scripts/bundle.mjs from scripts/code-cache-loader.cjs for each
// command bundled apart (`lint`, `migrate`). bin/aibos.js requires it for a run of that command (`main`);
// dist/cli/main.js imports it for help, which lists every command (`register`).
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
'use strict';
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { setFlagsFromString } = require('node:v8');
const vm = require('node:vm');

const BUNDLE = '__BUNDLE__';
const CACHE = '__CACHE__';
/** V8 flags the command runs with: part of what V8 checks a cache against, so set before compiling. */
const FLAGS = '__FLAGS__';

for (const flag of FLAGS) setFlagsFromString(flag);

const file = path.join(__dirname, BUNDLE);
const cacheFile = path.join(__dirname, CACHE);
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
// The bundle's import() of plugins and ES-only packages (execa, ora, PGlite) happens here: a vm script's own
// import() needs a flag in Node 20.
script.runInThisContext()(mod.exports, require, mod, file, __dirname, (specifier) => import(specifier));

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

exports.register = mod.exports.register;
exports.main = mod.exports.main;
