/**
 * Which database a command talks to (DESIGN §4): `--url`, then `DATABASE_URL`,
 * then `environments.<env>.url` from the config (`env:NAME` reads a variable).
 * With none, the embedded PGlite in `.aibos/pglite/`.
 */
import path from 'node:path';
import { environmentName } from '../config/load.js';
import type { EnvironmentSettings, ResolvedConfig } from '../config/types.js';
import { ConfigError, UsageError } from '../errors.js';
import { configName } from '../lint/levels.js';
import { redact } from '../redact.js';
import type { Database } from './types.js';

export type UrlSource = '--url' | 'DATABASE_URL' | 'config';

export interface ResolvedDatabaseUrl {
  url: string;
  source: UrlSource;
  /** The environment whose settings apply (always set, `defaultEnv` without --env). */
  env: string;
  ssl?: EnvironmentSettings['ssl'];
  /** Source `DATABASE_URL`: the environment's own url in the config (`env:NAME` or a URL), which it takes the place of. */
  replaces?: string;
}

export interface ResolveRequest {
  config: ResolvedConfig;
  /** `--url` */
  url?: string;
  /** `--env`; default `config.defaultEnv`. */
  env?: string;
  /** Defaults to `process.env`. */
  environ?: NodeJS.ProcessEnv;
}

/** The environment entry for `--env NAME` (or the default environment). An unknown --env is an error. */
export function resolveEnvironment(config: ResolvedConfig, env?: string): { name: string; settings: EnvironmentSettings } {
  const name = environmentName(config, env);
  return { name, settings: config.environments[name] ?? {} };
}

/** Returns the URL to use and where it came from, or `undefined` for the embedded default. */
export function resolveDatabaseUrl(request: ResolveRequest): ResolvedDatabaseUrl | undefined {
  const environ = request.environ ?? process.env;
  const { name, settings } = resolveEnvironment(request.config, request.env);
  const ssl = settings.ssl;
  if (request.url !== undefined) {
    if (!request.url.trim()) throw new UsageError('--url is empty — pass postgres://user@host:5432/database.');
    return { url: request.url, source: '--url', env: name, ssl };
  }
  const fromEnv = environ.DATABASE_URL;
  const configured = settings.url;
  if (fromEnv && fromEnv.trim()) return { url: fromEnv, source: 'DATABASE_URL', env: name, ssl, replaces: configured };
  if (!configured) return undefined;
  const ref = /^env:(.+)$/.exec(configured);
  if (ref) {
    const variable = ref[1]!.trim();
    const value = environ[variable];
    if (!value || !value.trim())
      throw new ConfigError(`environments.${name}.url reads the variable ${variable}, which is not set — export ${variable}=postgres://… or pass --url.`);
    return { url: value, source: 'config', env: name, ssl };
  }
  return { url: configured, source: 'config', env: name, ssl };
}

export interface ConnectRequest extends ResolveRequest {
  applicationName?: string;
  onNotice?: (message: string) => void;
  /** Called once with a line for stderr (e.g. that the embedded database is used). */
  notice?: (message: string) => void;
  /**
   * The extensions the migrations create (`extensionsCreatedIn`), asked only when the embedded
   * database opens: it starts with just those. Default: every extension it can have.
   */
  extensions?: () => readonly string[];
}

export interface Connection {
  db: Database;
  env: string;
}

/** Opens the database a command should use. Drivers load lazily so `aibos lint` never pays for them. */
export async function connectDatabase(request: ConnectRequest): Promise<Connection> {
  const resolved = resolveDatabaseUrl(request);
  const notice = request.notice ?? ((m: string) => process.stderr.write(`${m}\n`));
  if (resolved) {
    const { openPostgres, describeUrl } = await import('./postgres.js');
    // The order is fixed (DESIGN §4), but a deploy job's exported DATABASE_URL must not silently win over --env's database.
    if (resolved.replaces)
      notice(
        `aibos: using DATABASE_URL (${describeUrl(resolved.url).display}), not environments.${resolved.env}.url in ${configName(request.config)} (${redact(resolved.replaces)}) — unset DATABASE_URL to use the environment's database.`,
      );
    const db = await openPostgres(resolved.url, {
      ssl: resolved.ssl,
      sslSource: `environments.${resolved.env}.ssl in ${configName(request.config)}`,
      applicationName: request.applicationName,
      onNotice: request.onNotice,
    });
    return { db, env: resolved.env };
  }
  const env = resolveEnvironment(request.config, request.env).name;
  return { db: await openEmbedded(request.config, notice, request.extensions?.()), env };
}

// ── Embedded default ────────────────────────────────────────────────────────

async function openEmbedded(config: ResolvedConfig, notice: (message: string) => void, extensions: readonly string[] | undefined): Promise<Database> {
  // Imported here, not at the top: a run given a URL never loads PGlite's binding.
  // A literal specifier, so the bundler (scripts/bundle.mjs) sees the module and emits it.
  const { openPglite } = await import('./pglite.js');
  const dir = path.join(config.rootDir, '.aibos/pglite');
  const display = path.relative(process.cwd(), dir) || dir;
  notice(`aibos: no database URL given; using the embedded database in ${display}`);
  return openPglite(dir, { display, extensions });
}
