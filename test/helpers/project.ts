import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'aibos.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs the real, compiled CLI (`npm test` builds first). */
export async function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; input?: string }): Promise<CliResult> {
  const result = await execa('node', [BIN, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', DATABASE_URL: undefined, ...options.env },
    extendEnv: true,
    reject: false,
    input: options.input,
    timeout: 120_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

/** Runs `aibos sum` in `dir` and fails the test (with its stderr) unless it exits 0. */
export async function sum(dir: string, env?: Record<string, string | undefined>): Promise<CliResult> {
  const r = await runCli(['sum'], { cwd: dir, env });
  expect(r.exitCode, r.stderr).toBe(0);
  return r;
}

export interface TempProject {
  dir: string;
  write(rel: string, content: string): string;
  cleanup(): void;
}

/** A throwaway project folder with the given files (paths relative to it). */
export function tempProject(files: Record<string, string> = {}): TempProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aibos-test-'));
  const write = (rel: string, content: string) => {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  summary: { files: number; block: number; warn: number; shadow: number; acknowledged: number; failed: boolean };
  diagnostics: {
    ruleId: string;
    level: string;
    message: string;
    help: string;
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    acknowledged: boolean;
  }[];
}

/** Lints `paths` in `dir` with --format json (and `env` for the CLI) and returns the parsed document and exit code. */
export async function lintJson(dir: string, args: string[] = [], env?: Record<string, string | undefined>): Promise<{ report: JsonReport; exitCode: number; stderr: string }> {
  const r = await runCli(['lint', '--format', 'json', ...args], { cwd: dir, env });
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`lint did not print JSON (exit ${r.exitCode}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return { report, exitCode: r.exitCode, stderr: r.stderr };
}

/** A compliant kernel tenants migration, so tenant tables have a target. */
export const TENANTS_UP = `-- author: test
-- reason: tenants table
CREATE SCHEMA IF NOT EXISTS kernel;
CREATE TABLE IF NOT EXISTS kernel.tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
export const TENANTS_DOWN = `DROP TABLE IF EXISTS kernel.tenants;\nDROP SCHEMA IF EXISTS kernel;\n`;

/**
 * An up migration creating a tenant table that passes every built-in rule (the shape `aibos new` writes:
 * tenant foreign key and its index, RLS with a tenant policy, timestamps, soft delete, IF NOT EXISTS),
 * so a test can break exactly the one thing it is about. `columns` tell tables apart (duplicate-entity).
 */
export function tenantTableUp(table: string, columns: string[]): string {
  const entity = table.split('.').pop()!;
  return [
    `-- author: a`,
    `-- reason: ${entity}`,
    `CREATE TABLE IF NOT EXISTS ${table} (`,
    `  id uuid PRIMARY KEY,`,
    `  tenant_id uuid NOT NULL REFERENCES kernel.tenants(id),`,
    ...columns.map((c) => `  ${c},`),
    `  created_at timestamptz NOT NULL DEFAULT now(),`,
    `  updated_at timestamptz NOT NULL DEFAULT now(),`,
    `  deleted_at timestamptz`,
    `);`,
    `CREATE INDEX IF NOT EXISTS ${entity}_tenant_id_idx ON ${table} (tenant_id);`,
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;`,
    `DROP POLICY IF EXISTS ${entity}_tenant_isolation ON ${table};`,
    `CREATE POLICY ${entity}_tenant_isolation ON ${table} USING (tenant_id = current_setting('app.tenant_id', true)::uuid);`,
    ``,
  ].join('\n');
}

/** The down file of `tenantTableUp(table, …)`. */
export const tenantTableDown = (table: string): string => `DROP TABLE IF EXISTS ${table};\n`;
