/**
 * The shadow database verify works on: a fresh, throwaway one each time it is
 * opened. In-memory PGlite by default; with --url, a database with a random
 * name created on that server and dropped again when done (also on failure).
 */
import { randomBytes } from 'node:crypto';
import type { Database, ReservedSession } from '../db/types.js';
import { DatabaseError } from '../errors.js';

export interface Shadow {
  /** One dedicated session: verify sends BEGIN/COMMIT itself. */
  session: ReservedSession;
  close(): Promise<void>;
}

export interface ShadowSource {
  /** For messages: `in-memory PGlite` or `postgres://user@host:5432 (temporary database aibos_verify_…)`. */
  readonly description: string;
  /** A fresh, empty database. Closing the previous one first is the caller's job. */
  open(): Promise<Shadow>;
  /** Drops whatever is left; safe to call more than once. */
  dispose(): Promise<void>;
}

/** `extensions`: those the migrations create (`extensionsCreatedIn`); each shadow starts with just them. */
export function memoryShadow(extensions?: readonly string[]): ShadowSource {
  let factory: Promise<() => Promise<Database>> | undefined;
  return {
    description: 'a fresh in-memory PGlite database',
    async open() {
      factory ??= import('../db/pglite.js').then((m) => m.pgliteMemoryFactory({ extensions }));
      const db = await (await factory)();
      return withSession(db, () => db.close());
    },
    async dispose() {},
  };
}

async function withSession(db: Database, close: () => Promise<void>): Promise<Shadow> {
  // openPostgres().reserve() connects its pool first itself (postgres.js 3.4 needs that); PGlite's needs nothing.
  const session = await db.reserve();
  return {
    session,
    async close() {
      try {
        await session.release();
      } finally {
        await close();
      }
    },
  };
}

/** Temporary databases on the server at `url`; each `open()` creates one, `close()`/`dispose()` drop them. */
export async function serverShadow(url: string): Promise<ShadowSource> {
  const { openPostgres, describeUrl } = await import('../db/postgres.js');
  const server = describeUrl(url);
  const admin = await openPostgres(url, { applicationName: 'aibos verify' });
  const live = new Set<string>();
  const drop = async (name: string) => {
    try {
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch (error) {
      // WITH (FORCE) is Postgres 13+; older servers take the plain form.
      if ((error as { code?: string }).code !== '42601') throw error;
      await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
    }
    live.delete(name);
  };
  const displayServer = `postgres://${server.user}@${server.host}:${server.port}`;
  return {
    description: `a temporary database on ${displayServer}`,
    async open() {
      const name = `aibos_verify_${randomBytes(6).toString('hex')}`;
      try {
        await admin.exec(`CREATE DATABASE ${name}`);
      } catch (error) {
        const e = error as { code?: string; message?: string };
        if (e.code === '42501')
          throw new DatabaseError(`Cannot create a shadow database on ${displayServer}: user "${server.user}" lacks CREATEDB — grant it, or run verify without --url (in-memory PGlite).`);
        throw error;
      }
      live.add(name);
      const target = new URL(url);
      target.pathname = `/${name}`;
      let db: Database;
      try {
        db = await openPostgres(target.toString(), { applicationName: 'aibos verify' });
      } catch (error) {
        await drop(name);
        throw error;
      }
      return withSession(db, async () => {
        try {
          await db.close();
        } finally {
          await drop(name);
        }
      });
    },
    async dispose() {
      try {
        for (const name of [...live]) await drop(name);
      } finally {
        await admin.close();
      }
    },
  };
}
