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
 * `import.meta.url`-relative paths keep working: `./parse-worker.cjs` next to
 * the parser's code, createRequire() resolution from node_modules, and
 * packageRoot() walking up to package.json + schema/.
 *
 * `lint` (the pre-commit hook's command) and `migrate` (every deploy's) are bundled apart, each as one
 * CommonJS file, with commander and the program's set-up, that dist/cli/<command>-loader.cjs runs with
 * V8's code cache (scripts/code-cache-loader.cjs); bin/aibos.js (CommonJS) requires that loader directly,
 * so those runs load no ES module at all. The build ends with a lint of the Canon, which writes the lint's
 * cache; the first `migrate up` with nothing to apply writes the migrate's (it needs a database).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Commands bundled apart, each as one CommonJS file run with V8's code cache (their loaders, from
 * scripts/code-cache-loader.cjs), with the V8 flags they run with: bin/aibos.js runs the command through
 * dist/cli/lint-loader.cjs, and main.ts's `import('./lint.js')` (help) loads that loader too, and so on.
 */
const APART = {
  // Later optimisation of JavaScript for a lint (bench/README.md); lint.ts sets the same again.
  lint: { entry: 'src/cli/lint.ts', flags: ['--interrupt-budget=540672'] },
  migrate: { entry: 'src/cli/migrate.ts', flags: [] },
};

const commandsApart = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z]+\.js$/ }, (args) => {
      const name = args.path.slice(2, -3);
      return Object.hasOwn(APART, name) && /[\\/]src[\\/]cli[\\/]main\.ts$/.test(args.importer) ? { path: `./${name}-loader.cjs`, external: true } : undefined;
    });
  },
};

/** What every build below shares. */
const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', external, legalComments: 'none', logLevel: 'warning' };

/**
 * The CommonJS bundles (each command apart, the parser thread): import.meta.url from the file's path, and
 * postgres.js and the parser's emscripten half inside, so that V8's code cache holds their code too (and
 * loading the parser needs no ES-module loader).
 */
const commonJs = {
  ...common,
  external: external.filter((e) => e !== 'postgres' && !e.startsWith('libpg-query')),
  format: 'cjs',
  define: { 'import.meta.url': '__aibosModuleUrl' },
  banner: { js: "const __aibosModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  ...common,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir,
  splitting: true,
  format: 'esm',
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  // Bundled CommonJS (commander) calls require() for Node built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __aibosCreateRequire } from 'node:module'; const require = __aibosCreateRequire(import.meta.url);" },
  plugins: [lazyChildProcessForCommander, commandsApart],
  metafile: Boolean(process.env.AIBOS_BUNDLE_META),
});

/** In the lint bundle, `importModule` (src/import-module.ts) asks the loader, an ES module, to import. */
const importThroughLoader = {
  name: 'import-through-loader',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]import-module\.ts$/ }, () => ({
      contents: 'export function importModule(specifier) { return __aibosImport(specifier); }',
      loader: 'js',
    }));
  },
};

// Each command apart: CommonJS (Node 20 caches compiled code only for scripts).
const loaderTemplate = readFileSync(path.join(root, 'scripts', 'code-cache-loader.cjs'), 'utf8');
for (const [name, { entry, flags }] of Object.entries(APART)) {
  const bundle = `${name}-command.cjs`;
  await build({
    ...commonJs,
    // The command's module, and `main`, which runs the command line with it: bin/aibos.js runs the command
    // without loading main.ts (an ES module: Node's ES-module loader is ~8 ms of every start).
    stdin: {
      contents: `export * from './${entry}';\nimport * as command from './${entry}';\nimport { runProgram } from './src/cli/program.ts';\nexport const main = () => runProgram(async () => [command]);\n`,
      resolveDir: root,
      sourcefile: `${name}-entry.ts`,
      loader: 'ts',
    },
    outfile: path.join(outdir, bundle),
    plugins: [lazyChildProcessForCommander, importThroughLoader],
  });
  const hash = createHash('sha256').update(readFileSync(path.join(outdir, bundle))).digest('hex').slice(0, 16);
  const loader = loaderTemplate
    .replace("'__BUNDLE__'", JSON.stringify(bundle))
    .replace("'__CACHE__'", JSON.stringify(`${name}-command.${hash}.v8-cache`))
    .replace("'__FLAGS__'", JSON.stringify(flags));
  writeFileSync(path.join(outdir, `${name}-loader.cjs`), loader);
}
// What bin/aibos.js (CommonJS) asks before it picks a command's loader or main.js.
await build({ ...common, entryPoints: ['src/cli/command-name.ts'], outfile: path.join(outdir, 'command-name.cjs'), format: 'cjs' });
// The parser thread, as one CommonJS file (the parser's emscripten half inside: an import() of it from node_modules
// would set up the ES-module loader in the worker): a worker that starts from an ES module first loads Node's ES-module
// loader and then each chunk it imports, ~15 ms more before it parses (and the lint waits for its first files).
await build({ ...commonJs, entryPoints: ['src/sql/parse-worker.ts'], outfile: path.join(outdir, 'parse-worker.cjs') });
// A lint of the Canon compiles what most lints run, and writes the cache.
const warm = spawnSync(process.execPath, [path.join(root, 'bin', 'aibos.js'), 'lint', '--format', 'json', 'migrations'], { cwd: root, encoding: 'utf8' });
if (warm.status !== 0 && warm.status !== 1) throw new Error(`bundle: the warm-up lint failed (exit ${warm.status}):\n${warm.stderr}`);
// AIBOS_BUNDLE_META=1 npm run build: which sources went into which file, for the next look at start-up cost.
if (result.metafile) writeFileSync(path.join(root, 'dist', 'bundle-meta.json'), JSON.stringify(result.metafile));
