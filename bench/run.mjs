#!/usr/bin/env node
// `npm run bench [-- CORPUS_DIR] [--runs N] [--only lint,cold,apply] [--url URL]`
//
// Compares aibos with the tools a team would otherwise pick, in one run, on the
// same inputs: each pair runs alternately (A B, then B A, …) after a warm-up,
// and we print medians and the ratio aibos / peer (lower is better). Timings
// are wall-clock times of whole processes, as a user or a CI job sees them.
// Nothing here asserts: a slow machine prints slow numbers.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APPLY_MIGRATIONS, writeAibosProject, writeNodePgMigrateProject } from './apply.mjs';
import { CORPUS_FILES, generateCorpus } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AIBOS = path.join(ROOT, 'bin', 'aibos.js');
const SQUAWK = path.join(ROOT, 'node_modules', '@squawk-cli', 'linux-x64', 'bin', 'squawk');
const NODE_PG_MIGRATE = path.join(ROOT, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// --- arguments ----------------------------------------------------------------

function parseArgs(argv) {
  const options = { corpus: undefined, runs: undefined, only: new Set(['lint', 'cold', 'apply']), url: process.env.AIBOS_BENCH_DATABASE_URL ?? DEFAULT_URL };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--only') options.only = new Set(String(argv[++i]).split(','));
    else if (arg === '--url') options.url = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench [-- CORPUS_DIR] [--runs N] [--only lint,cold,apply] [--url POSTGRES_URL]\n');
      process.exit(0);
    } else if (arg.startsWith('-')) {
      process.stderr.write(`bench: unknown option ${arg}\n`);
      process.exit(2);
    } else options.corpus = path.resolve(arg);
  }
  if (options.runs !== undefined && !(Number.isInteger(options.runs) && options.runs > 0)) {
    process.stderr.write('bench: --runs takes a positive whole number\n');
    process.exit(2);
  }
  return options;
}

// --- measuring ----------------------------------------------------------------

const scratch = mkdtempSync(path.join(os.tmpdir(), 'aibos-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs a command to completion with stdout and stderr going to files (the same
 * cost for every tool) and returns its wall time in ms. `ok` lists the exit
 * codes that mean "did its job" (a linter finding problems exits 1).
 */
function timed(label, command, args, { cwd = scratch, env, ok = [0] } = {}) {
  const outPath = path.join(scratch, 'last.out');
  const errPath = path.join(scratch, 'last.err');
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', out, err] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  closeSync(out);
  closeSync(err);
  if (result.error || !ok.includes(result.status ?? -1)) {
    const stderr = readFileSync(errPath, 'utf8').trim().split('\n').slice(0, 12).join('\n');
    throw new Error(`${label} failed (exit ${result.status ?? result.signal ?? result.error?.message}):\n${stderr}`);
  }
  return ms;
}

function lastOutput() {
  return readFileSync(path.join(scratch, 'last.out'), 'utf8');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Warm-up, then A and B alternately (A B, B A, …) so drift and noise hit both alike. */
function alternate(a, b, runs, warmup = 2) {
  for (let i = 0; i < warmup; i++) {
    a.run();
    b.run();
  }
  const ta = [];
  const tb = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      ta.push(a.run());
      tb.push(b.run());
    } else {
      tb.push(b.run());
      ta.push(a.run());
    }
  }
  return { a: ta, b: tb };
}

const results = [];

function report(name, aibosTimes, peerName, peerTimes, target, minimum) {
  const a = median(aibosTimes);
  const p = median(peerTimes);
  const ratio = a / p;
  const verdict = ratio <= target ? 'target met' : ratio <= minimum ? 'minimum met' : 'MISSED';
  results.push({ name, ratio, target, minimum, verdict });
  const fmt = (xs) => `median ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;
  line(`  aibos           ${fmt(aibosTimes)}`);
  line(`  ${peerName.padEnd(15)} ${fmt(peerTimes)}`);
  line(`  ratio aibos/${peerName}: ${ratio.toFixed(2)}x   (target <= ${target}x, minimum <= ${minimum}x: ${verdict})`);
}

function line(text = '') {
  process.stdout.write(`${text}\n`);
}

// --- inputs -------------------------------------------------------------------

/** The files aibos lints in `dir` (its own discovery, so squawk is given exactly the same list). */
async function sqlFiles(dir) {
  const { findSqlFiles } = await import(path.join(ROOT, 'dist', 'src', 'migrations', 'files.js'));
  return findSqlFiles([dir]).sort();
}

/** `../shared/corpus` beside the clone, or beside the main checkout when this is a git worktree. */
function sharedCorpus() {
  const candidates = [path.resolve(ROOT, '..', 'shared', 'corpus')];
  const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: ROOT, encoding: 'utf8' });
  if (common.status === 0) candidates.push(path.resolve(common.stdout.trim(), '..', '..', 'shared', 'corpus'));
  return candidates.find((dir) => existsSync(dir));
}

function resolveCorpus(given) {
  const shared = sharedCorpus();
  if (given) {
    if (!existsSync(given)) {
      process.stderr.write(`bench: corpus folder ${given} not found\n`);
      process.exit(2);
    }
    return { dir: given, origin: 'given on the command line' };
  }
  if (shared) return { dir: shared, origin: '../shared/corpus' };
  const dir = path.join(scratch, 'corpus');
  generateCorpus(dir);
  return { dir, origin: `generated (bench/corpus.mjs: ${CORPUS_FILES} files of realistic DDL)` };
}

// --- machine ------------------------------------------------------------------

function toolVersion(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
}

async function serverVersion(url) {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    const [row] = await sql`select current_setting('server_version') as v`;
    return row.v;
  } catch {
    return undefined;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

function redact(url) {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

// --- benchmarks ---------------------------------------------------------------

function ensureBuilt() {
  // bin/aibos.js runs the bundle (dist/cli/); the corpus file finder is imported from tsc's dist/src/.
  if (existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')) && existsSync(path.join(ROOT, 'dist', 'src', 'migrations', 'files.js'))) return;
  line('building aibos (npm run build)…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(2);
}

async function benchCorpusLint(corpus, runs) {
  const files = await sqlFiles(corpus.dir);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  line(`\n## Lint the corpus, one command, JSON output`);
  line(`  corpus: ${corpus.dir} (${corpus.origin}), ${files.length} SQL files, ${(bytes / 1e6).toFixed(2)} MB`);
  const aibos = { run: () => timed('aibos lint', process.execPath, [AIBOS, 'lint', '--format', 'json', corpus.dir], { ok: [0, 1] }) };
  aibos.run();
  const aibosOut = JSON.parse(lastOutput());
  line(`  aibos lint --format json ${path.basename(corpus.dir)}: ${aibosOut.summary.files} files, ${aibosOut.diagnostics.length} findings`);
  if (!existsSync(SQUAWK)) {
    line(`  squawk: skipped — ${path.relative(ROOT, SQUAWK)} is absent (only the linux-x64 binary package is a dev dependency;`);
    line(`          the npm \`squawk-cli\` wrapper cannot be locked for every platform). aibos alone: median ${median([aibos.run(), aibos.run(), aibos.run()]).toFixed(0)} ms`);
    return;
  }
  // squawk gets the very same file list aibos found (it does not walk folders itself).
  const squawk = { run: () => timed('squawk', SQUAWK, ['--reporter', 'json', ...files], { ok: [0, 1] }) };
  squawk.run();
  const squawkOut = JSON.parse(lastOutput() || '[]');
  line(`  squawk --reporter json <same ${files.length} files>: ${squawkOut.length} findings  (squawk ${toolVersion(SQUAWK, ['--version'])?.replace(/^squawk /, '')}, linux-x64 binary package)`);
  const t = alternate(aibos, squawk, runs.corpus);
  report('lint corpus vs squawk', t.a, 'squawk', t.b, 1.0, 1.5);
  cpuAndMemory(corpus, files, median(t.b));
  rulesOffFloor(corpus, squawk, runs.corpus);
  parserFloor(files, squawk, runs.corpus);
}

/**
 * Peak RSS and CPU time of the corpus lint, from `/usr/bin/time -v` (GNU time): medians of three runs
 * each, and what the CPU time implies. Both tools use both cores (aibos: a parser thread; squawk: its
 * own threads), so CPU time is the work done; aibos does its work on two threads, so on two or more
 * cores half of it is the least wall time that much work could take however it were split between them.
 */
function cpuAndMemory(corpus, files, squawkMedian) {
  const gnuTime = '/usr/bin/time';
  if (!existsSync(gnuTime)) {
    line('  peak RSS: not measured (/usr/bin/time is absent; `apt-get install time`)');
    return;
  }
  const once = (args) => {
    const r = spawnSync(gnuTime, ['-v', ...args], { cwd: scratch, encoding: 'utf8', maxBuffer: 1 << 30 });
    const field = (name) => Number(new RegExp(`${name}: ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
    const rss = field('Maximum resident set size \\(kbytes\\)') / 1024;
    return { rss, cpu: (field('User time \\(seconds\\)') + field('System time \\(seconds\\)')) * 1000 };
  };
  const aibosArgs = [process.execPath, AIBOS, 'lint', '--format', 'json', corpus.dir];
  const squawkArgs = existsSync(SQUAWK) ? [SQUAWK, '--reporter', 'json', ...files] : undefined;
  const a = [];
  const s = [];
  for (let i = 0; i < 3; i++) {
    a.push(once(aibosArgs));
    if (squawkArgs) s.push(once(squawkArgs));
  }
  const of = (runs, key) => median(runs.map((m) => m[key]));
  const mb = (runs) => (Number.isFinite(of(runs, 'rss')) ? `${of(runs, 'rss').toFixed(0)} MB` : '?');
  const ms = (runs) => (Number.isFinite(of(runs, 'cpu')) ? `${of(runs, 'cpu').toFixed(0)} ms` : '?');
  line(`  peak RSS (/usr/bin/time -v, median of 3): aibos ${mb(a)} (limit 300 MB)${s.length ? `, squawk ${mb(s)}` : ''}`);
  line(`  CPU time, user + system (same runs): aibos ${ms(a)}${s.length ? `, squawk ${ms(s)}` : ''}`);
  const cores = Math.min(os.availableParallelism(), 2);
  const bound = of(a, 'cpu') / cores;
  if (squawkMedian !== undefined && Number.isFinite(bound))
    line(`  ${cores}-core bound: aibos's CPU time / ${cores} = ${bound.toFixed(0)} ms = ${(bound / squawkMedian).toFixed(2)}x squawk's median — the least wall time this much work could take on ${cores} cores`);
}

/**
 * A reference run (not a comparison of tools) timed alternately with squawk, so that both medians come
 * from the same minutes of a noisy machine; prints the median, its ratio to squawk's and what the 1.5x
 * minimum leaves on top of it.
 */
function referenceRun(label, run, squawk, runs, leaves) {
  const t = alternate({ run }, squawk, runs, 1);
  const m = median(t.a);
  const s = median(t.b);
  line(`  for reference, ${label}:`);
  line(`    median ${m.toFixed(0)} ms, squawk ${s.toFixed(0)} ms in the same rounds: ${(m / s).toFixed(2)}x; the 1.5x minimum leaves ${Math.max(0, 1.5 * s - m).toFixed(0)} ms for ${leaves}`);
}

/**
 * For reference: aibos with every rule turned off still finds, reads, parses and orders the files and
 * replays the catalog. What is left of the 1.5x minimum for the 40 rules, their findings and the report
 * shows how far the parser and the JavaScript around it go (bench/README.md).
 */
function rulesOffFloor(corpus, squawk, runs) {
  const listed = spawnSync(process.execPath, [AIBOS, 'rules', '--format', 'json'], { cwd: scratch, encoding: 'utf8' });
  if (listed.status !== 0) return;
  const parsed = JSON.parse(listed.stdout);
  const ids = (Array.isArray(parsed) ? parsed : parsed.rules).map((r) => r.id).filter((id) => id !== 'syntax-error');
  const args = [AIBOS, 'lint', '--format', 'json', ...ids.flatMap((id) => ['--rule', `${id}=off`]), corpus.dir];
  const run = () => timed('aibos lint, every rule off', process.execPath, args, { ok: [0, 1] });
  referenceRun('aibos with every rule but syntax-error off', run, squawk, runs, `${ids.length} rules, their findings and the report`);
}

/**
 * For reference: the parser alone (bench/parser-floor.mjs), the files read and parsed on a worker thread
 * and every tree decoded here, as the lint does before its first rule; no lint. Whatever aibos adds
 * (file order, the catalog, the rules, their findings, the report) comes on top of this.
 */
function parserFloor(files, squawk, runs) {
  const list = path.join(scratch, 'files.txt');
  writeFileSync(list, `${files.join('\n')}\n`);
  const run = () => timed('parser floor', process.execPath, [path.join(ROOT, 'bench', 'parser-floor.mjs'), list]);
  referenceRun('the parser alone (bench/parser-floor.mjs: the lint parser thread, trees decoded here, no lint)', run, squawk, runs, 'everything aibos does with the trees');
}

async function pickOneFile(corpus) {
  // A typical migration: the median-sized non-empty file of the corpus.
  const files = (await sqlFiles(corpus.dir))
    .map((f) => ({ f, size: statSync(f).size }))
    .filter((x) => x.size > 0)
    .sort((a, b) => a.size - b.size || a.f.localeCompare(b.f));
  return files[files.length >> 1];
}

async function benchColdLint(corpus, runs) {
  const one = await pickOneFile(corpus);
  line(`\n## Lint one file from cold (what a pre-commit hook does)`);
  line(`  file: ${path.relative(corpus.dir, one.f)} (${one.size} bytes)`);
  const aibos = { run: () => timed('aibos lint (one file)', process.execPath, [AIBOS, 'lint', '--format', 'json', one.f], { ok: [0, 1] }) };
  const node = { run: () => timed('node -e 0', process.execPath, ['-e', '0']) };
  const t = alternate(aibos, node, runs.cold, 3);
  report('lint one file vs node -e 0', t.a, 'node -e 0', t.b, 2.0, 2.5);
  if (existsSync(SQUAWK)) {
    const squawk = { run: () => timed('squawk (one file)', SQUAWK, ['--reporter', 'json', one.f], { ok: [0, 1] }) };
    const s = alternate(aibos, squawk, runs.cold, 1);
    line(`  for reference, squawk on the same file: median ${median(s.b).toFixed(0)} ms (aibos ${median(s.a).toFixed(0)} ms in the same rounds)`);
  }
  hookLint(one, node, runs.cold);
}

/**
 * For reference: what the installed hook runs, `aibos lint --staged`, with the same file staged in a
 * fresh git repository (git is asked for the index, the changed paths and the staged texts).
 */
function hookLint(one, node, runs) {
  const repo = path.join(scratch, 'hook-repo');
  mkdirSync(path.join(repo, 'migrations'), { recursive: true });
  copyFileSync(one.f, path.join(repo, 'migrations', path.basename(one.f)));
  const git = (...args) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  if (git('init', '-q').status !== 0 || git('add', '-A').status !== 0) {
    line('  lint --staged: not measured (git is not available)');
    return;
  }
  const staged = { run: () => timed('aibos lint --staged', process.execPath, [AIBOS, 'lint', '--staged', '--format', 'json'], { cwd: repo, ok: [0, 1] }) };
  const t = alternate(staged, node, runs, 2);
  const a = median(t.a);
  line(`  for reference, what the pre-commit hook runs (\`aibos lint --staged\`, that file staged in a new git repository):`);
  line(`    median ${a.toFixed(0)} ms (min ${Math.min(...t.a).toFixed(0)}, max ${Math.max(...t.a).toFixed(0)}), ${(a / median(t.b)).toFixed(2)}x node -e 0 in the same rounds`);
}

async function benchApply(options, runs) {
  line(`\n## Apply ${APPLY_MIGRATIONS} trivial migrations to a fresh database (aibos: lint gate included)`);
  const version = await serverVersion(options.url);
  if (!version) {
    line(`  skipped: no PostgreSQL server answers at ${redact(options.url)} (start one, or pass --url / AIBOS_BENCH_DATABASE_URL)`);
    return;
  }
  if (!existsSync(NODE_PG_MIGRATE)) {
    line('  skipped: node-pg-migrate is not installed (it is a dev dependency: run `npm ci`)');
    return;
  }
  const aibosDir = path.join(scratch, 'aibos-project');
  const npmDir = path.join(scratch, 'npm-project');
  writeAibosProject(aibosDir);
  writeNodePgMigrateProject(npmDir);
  timed('aibos sum', process.execPath, [AIBOS, 'sum'], { cwd: aibosDir });

  const { default: postgres } = await import('postgres');
  const admin = postgres(options.url, { max: 1, onnotice: () => {} });
  const dbUrl = (name) => {
    const u = new URL(options.url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  let counter = 0;
  const freshDatabase = async () => {
    const name = `aibos_bench_${process.pid}_${counter++}`;
    await admin.unsafe(`create database ${name}`);
    return name;
  };
  const dropDatabase = (name) => admin.unsafe(`drop database if exists ${name} with (force)`);

  const env = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  const aibosUp = (url) => timed('aibos migrate up', process.execPath, [AIBOS, 'migrate', 'up', '--url', url], { cwd: aibosDir, env });
  const npmUp = (url) =>
    timed('node-pg-migrate up', process.execPath, [NODE_PG_MIGRATE, 'up', '--migrations-dir', 'migrations'], { cwd: npmDir, env: { ...env, DATABASE_URL: url } });

  // Does this build of aibos have `migrate up` yet?
  const probe = await freshDatabase();
  try {
    aibosUp(dbUrl(probe));
  } catch (error) {
    await dropDatabase(probe);
    await admin.end();
    line(`  skipped: \`aibos migrate up\` does not work in this build:\n    ${String(error.message).split('\n').slice(0, 4).join('\n    ')}`);
    return;
  }
  await dropDatabase(probe);

  const sides = {
    aibos: { up: aibosUp, fresh: [], noop: [] },
    npm: { up: npmUp, fresh: [], noop: [] },
  };
  const once = async (side, record) => {
    const name = await freshDatabase();
    try {
      const fresh = side.up(dbUrl(name));
      const noop = side.up(dbUrl(name));
      if (record) {
        side.fresh.push(fresh);
        side.noop.push(noop);
      }
    } finally {
      await dropDatabase(name);
    }
  };
  try {
    await once(sides.aibos, false);
    await once(sides.npm, false);
    for (let i = 0; i < runs.apply; i++) {
      const order = i % 2 === 0 ? [sides.aibos, sides.npm] : [sides.npm, sides.aibos];
      for (const side of order) await once(side, true);
    }
  } finally {
    await admin.end();
  }
  line(`  server: PostgreSQL ${version} at ${redact(options.url)}; a fresh database per run, dropped after`);
  line(`  node-pg-migrate ${readPackageVersion('node-pg-migrate')} with its defaults (all pending migrations in one transaction); aibos: one transaction + history row per migration`);
  line(`  up, fresh database:`);
  report(`apply ${APPLY_MIGRATIONS} vs node-pg-migrate`, sides.aibos.fresh, 'node-pg-migrate', sides.npm.fresh, 0.8, 1.0);
  line(`  no-op up, ${APPLY_MIGRATIONS} already applied:`);
  report('no-op up vs node-pg-migrate', sides.aibos.noop, 'node-pg-migrate', sides.npm.noop, 0.5, 0.6);
}

function readPackageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

// --- main ---------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const runs = { corpus: options.runs ?? 7, cold: options.runs ?? 15, apply: options.runs ?? 5 };
  ensureBuilt();
  const cpus = os.cpus();
  const pg = options.only.has('apply') ? await serverVersion(options.url) : undefined;
  line('# aibos benchmark');
  line(`  cpu: ${cpus[0]?.model ?? 'unknown'}, ${os.availableParallelism?.() ?? cpus.length} cores; ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${os.type()} ${os.release()}`);
  line(`  node ${process.version}; postgres ${pg ?? '(no server)'}; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  line(`  each pair runs alternately after a warm-up; times are whole-process wall clock; ratio = aibos / peer, lower is better`);

  const needsCorpus = options.only.has('lint') || options.only.has('cold');
  const corpus = needsCorpus ? resolveCorpus(options.corpus) : undefined;
  if (options.only.has('lint')) await benchCorpusLint(corpus, runs);
  if (options.only.has('cold')) await benchColdLint(corpus, runs);
  if (options.only.has('apply')) await benchApply(options, runs);

  line('\n## Summary (ratio aibos / peer)');
  for (const r of results) line(`  ${r.name.padEnd(34)} ${r.ratio.toFixed(2).padStart(5)}x   target <= ${r.target}x, minimum <= ${r.minimum}x: ${r.verdict}`);
  if (!results.length) line('  nothing measured');
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 2;
});
