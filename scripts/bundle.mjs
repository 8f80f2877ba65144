/**
 * Bundles the CLI into dist/cli/ after tsc (run by `npm run build`).
 *
 * Why: a one-file `aibos lint` (a pre-commit hook) spent most of its start-up
 * in Node's ESM loader — ~45 modules each stat'ed, read and compiled. One
 * bundle per command (code splitting keeps main.ts's per-command `import()`
 * lazy) cuts that to a handful of files. Heavy dependencies a command loads
 * only on some paths stay external and load from node_modules as before.
 *
 * Every output file sits in dist/cli/ itself (no chunk subfolder), so the
 * `import.meta.url`-relative paths keep working: `./parse-worker.js` next to
 * the parser chunk, createRequire() resolution from node_modules, and
 * packageRoot() walking up to package.json + schema/.
 */
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'cli');

/** Loaded from node_modules at run time: big, and only some runs need them (or they load files of their own). */
const external = ['@electric-sql/pglite', '@electric-sql/pglite/*', 'postgres', 'ajv', 'cosmiconfig', 'execa', 'ora', 'chalk', 'libpg-query', 'libpg-query/*'];

/**
 * commander requires node:child_process at load, only to spawn executable
 * subcommands (aibos has none). Loading it (and net, dgram, streams behind it)
 * was ~4 ms of every start; commander gets a stand-in that loads it on first spawn.
 */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let cp; module.exports = { spawn: (...args) => (cp ??= require('node:child_process')).spawn(...args) };",
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts', 'parse-worker': 'src/sql/parse-worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  // Bundled CommonJS (commander) calls require() for Node built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __aibosCreateRequire } from 'node:module'; const require = __aibosCreateRequire(import.meta.url);" },
  legalComments: 'none',
  plugins: [lazyChildProcessForCommander],
  logLevel: 'warning',
  metafile: Boolean(process.env.AIBOS_BUNDLE_META),
});
// AIBOS_BUNDLE_META=1 npm run build: which sources went into which file, for the next look at start-up cost.
if (result.metafile) writeFileSync(path.join(root, 'dist', 'bundle-meta.json'), JSON.stringify(result.metafile));
