import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, PgliteSqlError } from '../../src/db/pglite.js';
import type { Database } from '../../src/db/types.js';
import { DatabaseError, LockTimeoutError } from '../../src/errors.js';

describe('openPglite (in memory)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite('memory');
  }, 60_000);
  afterAll(() => db?.close());

  it('runs $n queries and multi-statement text', async () => {
    await db.exec('CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY, name text NOT NULL);');
    await db.query('INSERT INTO app.t VALUES ($1, $2), ($3, $4)', [1, 'a', 2, 'b']);
    expect(await db.query('SELECT id, name FROM app.t WHERE id > $1 ORDER BY id', [0])).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    expect(db.kind).toBe('pglite');
    expect(db.target).toBe('memory');
  });

  // position counts characters of the whole text sent: 'SELECT 1;\n' is 10, 'nme' starts at 18.
  it('rolls a failing transaction back and reports the server error in the shared shape', async () => {
    const failure = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO app.t VALUES (3, $1)', ['c']);
        await tx.exec('SELECT 1;\nSELECT nme FROM app.t;');
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PgliteSqlError);
    expect(failure).toMatchObject({ code: '42703', message: 'column "nme" does not exist', position: 18 });
    expect((failure as PgliteSqlError).hint).toContain('name');
    expect(await db.query('SELECT count(*)::int AS n FROM app.t')).toEqual([{ n: 2 }]);
  });

  it('commits a transaction, and a db.query made inside it runs in it instead of deadlocking', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO app.t VALUES (4, $1)', ['d']);
      return db.query<{ n: number }>('SELECT count(*)::int AS n FROM app.t');
    });
    expect(seen).toEqual([{ n: 3 }]);
    expect(await db.query('SELECT name FROM app.t WHERE id = 4')).toEqual([{ name: 'd' }]);
  });

  it('serialises transactions started concurrently', async () => {
    const order: string[] = [];
    await Promise.all(
      ['x', 'y'].map((who) =>
        db.transaction(async (tx) => {
          order.push(`${who}:begin`);
          await tx.query('SELECT pg_sleep(0.05)');
          order.push(`${who}:end`);
        }),
      ),
    );
    expect(order).toEqual(['x:begin', 'x:end', 'y:begin', 'y:end']);
  });

  it('gives a reserved session that holds advisory locks', async () => {
    const session = await db.reserve();
    expect(await session.query('SELECT pg_try_advisory_lock(7) AS ok')).toEqual([{ ok: true }]);
    expect(await session.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).toEqual([{ n: 1 }]);
    expect(await session.query('SELECT pg_advisory_unlock(7) AS ok')).toEqual([{ ok: true }]);
    await session.release();
  });
});

describe('openPglite (stored in a folder)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aibos-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across opens, and refuses a second opener while the first has it', async () => {
    const folder = path.join(dir, '.aibos', 'pglite');
    const first = await openPglite(folder, { display: '.aibos/pglite' });
    await first.exec('CREATE TABLE kept (v text); INSERT INTO kept VALUES (\'yes\');');
    expect(existsSync(`${folder}.lock`)).toBe(true);
    const second = await openPglite(folder, { display: '.aibos/pglite', lockTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(LockTimeoutError);
    expect((second as Error).message).toContain(`in use by another aibos process (pid ${process.pid})`);
    await first.close();
    expect(existsSync(`${folder}.lock`)).toBe(false);

    const again = await openPglite(folder);
    expect(await again.query('SELECT v FROM kept')).toEqual([{ v: 'yes' }]);
    await again.close();
    // initdb ran in a staging folder that was renamed into place: nothing else is left beside it
    expect(readdirSync(path.dirname(folder)).sort()).toEqual(['pglite']);
  }, 60_000);

  it('keeps a new cluster as the machine\'s pristine copy only when no preloaded library was registered', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'aibos-pristine-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const kept = () => readdirSync(tmp).filter((n) => n.endsWith('-pristine.tar.gz'));
      // pg_stat_statements makes PGlite write shared_preload_libraries into postgresql.conf.
      const withPreload = await openPglite(path.join(tmp, 'a'), { extensions: ['pg_stat_statements'] });
      await withPreload.close();
      expect(kept()).toEqual([]);
      const plain = await openPglite(path.join(tmp, 'b'), { extensions: ['citext'] });
      await plain.close();
      expect(kept()).toHaveLength(1);
      // The next new folder starts from that copy, with no extension at all.
      const copy = await openPglite(path.join(tmp, 'c'), { extensions: [] });
      expect(await copy.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await copy.close();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a folder that holds something other than a database, and frees its lock', async () => {
    const folder = path.join(dir, 'not-a-db');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'notes.txt'), 'mine\n');
    const failure = await openPglite(folder, { display: 'not-a-db' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatabaseError);
    expect((failure as Error).message).toBe('not-a-db is not an embedded database (no PG_VERSION) — move it away so aibos can create a fresh one there.');
    expect(existsSync(`${folder}.lock`)).toBe(false);
  });
});
