import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import { toRelPath } from '../migrations/files.js';
import { packageRoot } from '../paths.js';
import { closest } from '../lint/levels.js';
import { DEFAULT_CONFIG, STANDARD_GUARDRAILS } from './defaults.js';
import type { AibosConfig, AibosConfigFile, ResolvedConfig } from './types.js';
import { importModule } from '../import-module.js';

const SEARCH_PLACES = ['package.json', '.aibosrc', '.aibosrc.json', '.aibosrc.yaml', '.aibosrc.yml', 'aibos.config.js', 'aibos.config.mjs', 'aibos.config.cjs'];

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge: objects merge key by key, everything else (arrays included) is replaced. */
export function mergeConfig<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in out ? mergeConfig(out[key], value) : value;
  return out as T;
}

/** `/rules/require-tenant-idd` -> `rules.require-tenant-idd` */
function keyPath(instancePath: string): string {
  if (!instancePath) return '(root)';
  return instancePath
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

export interface AjvLikeError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export function describeError(e: AjvLikeError): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return `${keyPath(e.instancePath) === '(root)' ? '' : keyPath(e.instancePath) + '.'}${String(e.params.additionalProperty)} is not a known key`;
    case 'enum':
      return `${keyPath(e.instancePath)}: expected one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${keyPath(e.instancePath)}: expected ${String(e.params.type)}`;
    case 'required':
      return `${keyPath(e.instancePath)}: missing required key "${String(e.params.missingProperty)}"`;
    default:
      return `${keyPath(e.instancePath)}: ${e.message ?? 'is invalid'}`;
  }
}

/** Keeps the most specific errors: a oneOf failure is explained by its branches. */
function pickErrors(errors: AjvLikeError[]): AjvLikeError[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const byPath = new Map<string, AjvLikeError>();
  for (const e of specific.length ? specific : errors) {
    const existing = byPath.get(e.instancePath);
    // Prefer enum/required/additionalProperties over a generic type mismatch of another oneOf branch.
    if (!existing || (existing.keyword === 'type' && e.keyword !== 'type')) byPath.set(e.instancePath, e);
  }
  return [...byPath.values()];
}

export type SchemaValidator = ((data: unknown) => boolean) & { errors?: AjvLikeError[] | null };

let validator: SchemaValidator = undefined as never;

function schemaPath(): string {
  return path.join(packageRoot(), 'schema', 'aibosrc.schema.json');
}

/**
 * The schema's validator: the ajv-generated code in validate-config.generated.ts
 * when it was generated from this very schema (no ajv at run time: importing and
 * compiling it was most of a no-op `migrate up`), else ajv compiles the schema.
 */
async function loadValidator(): Promise<SchemaValidator> {
  const schemaText = readFileSync(schemaPath(), 'utf8');
  const generated = (await import('./validate-config.generated.js')) as { SCHEMA_TEXT: string; validate: SchemaValidator };
  if (generated.SCHEMA_TEXT === schemaText) return generated.validate;
  return compileSchema(JSON.parse(schemaText));
}

/** A JSON schema compiled by ajv, imported on first use. */
export async function compileSchema(schema: object): Promise<SchemaValidator> {
  const { default: Ajv } = await importModule<{ default: new (opts: object) => { compile(s: object): SchemaValidator } }>('ajv');
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

async function validate(data: unknown, file: string): Promise<void> {
  validator ??= await loadValidator();
  if (validator(data)) return;
  const problems = pickErrors(validator.errors ?? []).map(describeError);
  throw new ConfigError(
    `Invalid config in ${toRelPath(file)}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the key${problems.length > 1 ? 's' : ''} above; every key is documented in .aibosrc.example.json.`,
  );
}

export interface LoadConfigOptions {
  cwd?: string;
  /** An explicit config file (--config). */
  configFile?: string;
}

/** True when `package.json` in `dir` has a key cosmiconfig would read (ours, or its own meta config). */
function packageJsonMentions(dir: string): boolean {
  try {
    const pkg: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return isPlainObject(pkg) && ('aibos' in pkg || 'cosmiconfig' in pkg);
  } catch {
    return true; // unreadable or broken: let cosmiconfig say what is wrong
  }
}

/**
 * What cosmiconfig's 'project' search would look at, walking the same folders
 * (up to the first one with a package file): 'none' when it cannot find
 * anything, the file when it is plain JSON we can read ourselves, else
 * 'cosmiconfig' (YAML, JS, meta config). Importing cosmiconfig and its loaders
 * is a large share of a short run's start-up.
 */
function quickSearch(cwd: string): 'none' | 'cosmiconfig' | { filepath: string; packageJson: boolean } {
  if (existsSync(path.join(cwd, '.config'))) return 'cosmiconfig';
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const hasPackageJson = existsSync(path.join(dir, 'package.json'));
    for (const place of SEARCH_PLACES) {
      const file = path.join(dir, place);
      if (place === 'package.json') {
        if (hasPackageJson && packageJsonMentions(dir)) return { filepath: file, packageJson: true };
      } else if (existsSync(file)) return place === '.aibosrc.json' ? { filepath: file, packageJson: false } : 'cosmiconfig';
    }
    if (existsSync(path.join(dir, 'package.yaml'))) return 'cosmiconfig';
    if (hasPackageJson || path.dirname(dir) === dir) return 'none';
  }
}

/**
 * Where a JSON text stops parsing, as "line L, column C: what JSON.parse said" (V8 gives a character
 * position; columns count UTF-16 units, as the lint's do).
 */
function jsonSyntaxError(text: string, error: Error): string {
  const what = error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/ while parsing .*$/s, '');
  const at = /at position (\d+)/.exec(error.message);
  const position = at ? Number(at[1]) : text.length;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}: ${what}`;
}

/**
 * A JSON config read without cosmiconfig; undefined when cosmiconfig should read it (package.json
 * without our key, or a file that cannot be read: cosmiconfig then words that error).
 */
function readJsonConfig(found: { filepath: string; packageJson: boolean }): { config: unknown; filepath: string } | null | undefined {
  let text: string;
  try {
    text = readFileSync(found.filepath, 'utf8');
  } catch {
    return undefined;
  }
  if (!found.packageJson && text.trim() === '') return { config: {}, filepath: found.filepath };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Could not read ${toRelPath(found.filepath)}: ${jsonSyntaxError(text, error as Error)} — fix the syntax and run again.`);
  }
  if (!found.packageJson) return { config: value, filepath: found.filepath };
  const own = (value as Record<string, unknown>).aibos;
  if (own === undefined || 'cosmiconfig' in (value as object)) return undefined;
  return { config: own ?? {}, filepath: found.filepath };
}

/**
 * What a cosmiconfig loader said, in one line: YAML's reason at its line and column, else the first line
 * of the message after cosmiconfig's "<kind> Error in <file>:" header and before any code frame.
 */
function loaderError(err: Error & { reason?: string; mark?: { line: number; column: number } }): string {
  if (err.mark && err.reason) return `line ${err.mark.line + 1}, column ${err.mark.column + 1}: ${err.reason}`;
  // A JavaScript config that does not compile: Node's stack starts "<file>:<line>", the code, a caret.
  const js = err instanceof SyntaxError ? /^.*:(\d+)\n.*\n( *)\^/.exec(err.stack ?? '') : null;
  if (js) return `line ${js[1]}, column ${js[2]!.length + 1}: ${err.message}`;
  const lines = err.message.split('\n').map((l) => l.trim()).filter(Boolean);
  const body = /Error in .*:$/.test(lines[0] ?? '') ? lines.slice(1) : lines;
  return body.find((l) => !/^(>|\||\d+ \||-+\^)/.test(l)) ?? lines[0] ?? err.name;
}

async function readConfigFile(options: LoadConfigOptions): Promise<{ config: unknown; filepath: string } | null> {
  if (!options.configFile) {
    const quick = quickSearch(options.cwd ?? process.cwd());
    if (quick === 'none') return null;
    if (quick !== 'cosmiconfig') {
      const read = readJsonConfig(quick);
      if (read !== undefined) return read;
    }
  } else if (options.configFile.endsWith('.json') && path.basename(options.configFile) !== 'package.json') {
    const read = readJsonConfig({ filepath: path.resolve(options.cwd ?? process.cwd(), options.configFile), packageJson: false });
    if (read !== undefined) return read;
  }
  const { cosmiconfig } = await importModule<typeof import('cosmiconfig')>('cosmiconfig');
  const explorer = cosmiconfig('aibos', { searchPlaces: SEARCH_PLACES, searchStrategy: 'project' });
  try {
    const result = options.configFile ? await explorer.load(path.resolve(options.cwd ?? process.cwd(), options.configFile)) : await explorer.search(options.cwd ?? process.cwd());
    if (!result || result.isEmpty) return result ? { config: {}, filepath: result.filepath } : null;
    return { config: result.config, filepath: result.filepath };
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { filepath?: string; reason?: string; mark?: { line: number; column: number } };
    if (err.code === 'ENOENT') throw new ConfigError(`Config file ${options.configFile} not found — check the --config path.`);
    const where = err.filepath ? toRelPath(err.filepath) : options.configFile ?? 'the config file';
    throw new ConfigError(`Could not read ${where}: ${loaderError(err)} — fix the syntax and run again.`);
  }
}

/** Finds, validates and resolves the config; defaults alone when there is no file. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const found = await readConfigFile(options);
  let user: AibosConfigFile = {};
  if (found) {
    if (!isPlainObject(found.config)) throw new ConfigError(`Invalid config in ${toRelPath(found.filepath)}: expected an object at the top level.`);
    await validate(found.config, found.filepath);
    user = found.config as AibosConfigFile;
  }
  const merged = mergeConfig<AibosConfig>(structuredClone(DEFAULT_CONFIG), user);
  const rootDir = found ? path.dirname(found.filepath) : cwd;
  for (const [name, schema] of Object.entries(merged.schemas)) {
    if (schema.range[0] > schema.range[1]) {
      throw new ConfigError(`Invalid config in ${toRelPath(found?.filepath ?? '')}: schemas.${name}.range starts after it ends (${schema.range.join('-')}); write [low, high].`);
    }
  }
  if (!environmentNames(merged).includes(merged.defaultEnv)) throw new ConfigError(`Invalid config in ${toRelPath(found?.filepath ?? '')}: defaultEnv: ${unknownEnvironment(merged.defaultEnv, merged)}`);
  return { ...merged, filepath: found?.filepath, rootDir, migrationsPath: path.resolve(rootDir, merged.migrationsDir) };
}

/** The environments a name can pick: the standard's (dev, prod) and the config's. */
function environmentNames(config: Pick<AibosConfig, 'environments'>): string[] {
  return [...new Set([...Object.keys(STANDARD_GUARDRAILS), ...Object.keys(config.environments)])];
}

function unknownEnvironment(name: string, config: Pick<AibosConfig, 'environments'>): string {
  const known = environmentNames(config);
  const hint = closest(name, known);
  return `no environment "${name}"${hint ? ` — did you mean "${hint}"?` : '.'} Known: ${known.join(', ')}, or define "${name}" under "environments".`;
}

/** `--env NAME`, else `defaultEnv`. A name that resolves nowhere is an error: a typo would drop its guardrails. */
export function environmentName(config: ResolvedConfig, env?: string): string {
  if (env !== undefined && !environmentNames(config).includes(env)) throw new ConfigError(`--env ${env}: ${unknownEnvironment(env, config)}`);
  return env ?? config.defaultEnv;
}

/** For plugins given as package names: resolve from the config's folder. */
export function resolvePlugin(specifier: string, rootDir: string): string {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) return path.resolve(rootDir, specifier);
  return createRequire(path.join(rootDir, 'noop.js')).resolve(specifier);
}
