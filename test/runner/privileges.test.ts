import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, events, hasServer, historyRows, makeProject, SERVER_URL, tableExists, type Project, type TestDatabase } from './helpers.js';

const SECRET = 'Pr0be-s3cret';

/**
 * A login role without the privileges aibos's bookkeeping needs: each refusal is one line naming what the
 * server denied, the SQLSTATE and the GRANT that lifts it (exit 2), never an internal error with a stack.
 */
describe.runIf(hasServer)('aibos migrate as a user without privileges', () => {
  const role = `aibos_probe_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let project: Project;
  let url: string;
  let display: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.unsafe(`CREATE ROLE ${role} LOGIN`);
    const u = new URL(db.url);
    u.username = role;
    u.password = SECRET;
    url = u.toString();
    display = `postgres://${role}@${u.hostname}:${u.port || 5432}/${db.name}`;
  });
  afterAll(async () => {
    await db?.drop();
    const admin = postgres(SERVER_URL!, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });
  beforeEach(async () => {
    await db.sql.unsafe('DROP SCHEMA IF EXISTS app CASCADE; DROP SCHEMA IF EXISTS aibos CASCADE');
    project = await makeProject(db);
    project.addTable(1, 'ledgers');
    await project.sum();
  });
  afterEach(() => project?.cleanup());

  const asProbe = (args: string[]) => project.cli(['migrate', ...args, '--url', url]);

  it('up: no CREATE on the database names it, with SQLSTATE 42501 and the GRANT (text and --json)', async () => {
    const message = `Cannot create the migration history (schema aibos and its tables) on ${display}: permission denied for database ${db.name} (SQLSTATE 42501) — run aibos as the migration owner (the role that creates and owns schema aibos), or GRANT CREATE ON DATABASE ${db.name} TO ${role};`;
    const text = await asProbe(['up']);
    expect(text.exitCode).toBe(2);
    expect(text.stderr).toBe(`aibos: ${message}`);
    expect(text.stdout).toBe('');

    const json = await asProbe(['up', '--json']);
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, applied: [], error: { kind: 'DatabaseError', message } });
    expect(`${text.stdout}${text.stderr}${json.stdout}${json.stderr}`).not.toContain(SECRET);
    expect(await tableExists(db, 'app.ledgers')).toBe(false);
  });

  it('no CONNECT on the database is a connection failure naming the GRANT, not an internal error', async () => {
    await db.sql.unsafe(`REVOKE CONNECT ON DATABASE ${db.name} FROM PUBLIC`);
    try {
      const r = await asProbe(['up']);
      expect(r.exitCode).toBe(2);
      const u = new URL(url);
      expect(r.stderr).toBe(
        `aibos: Cannot use the database at ${u.hostname}:${u.port || 5432} (database "${db.name}", user "${role}"): permission denied for database "${db.name}" (SQLSTATE 42501) — the user has no CONNECT privilege on it: GRANT CONNECT ON DATABASE ${db.name} TO ${role}; or connect as a user who has it.`,
      );
    } finally {
      await db.sql.unsafe(`GRANT CONNECT ON DATABASE ${db.name} TO PUBLIC`);
    }
  });

  it('status: no USAGE on schema aibos names the schema and the GRANT', async () => {
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    const r = await asProbe(['status']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      `aibos: Cannot read the migration history (aibos.schema_migrations) on ${display}: permission denied for schema aibos (SQLSTATE 42501) — run aibos as the migration owner (the role that creates and owns schema aibos), or GRANT USAGE, CREATE ON SCHEMA aibos TO ${role};`,
    );
  });

  it('down: no INSERT on the audit table names the table and the GRANT; the down is rolled back', async () => {
    expect((await project.migrate(['up'])).exitCode).toBe(0);
    await db.sql.unsafe(`
      GRANT USAGE ON SCHEMA aibos, app TO ${role};
      GRANT SELECT, INSERT, UPDATE, DELETE ON aibos.schema_migrations TO ${role};
      GRANT SELECT ON aibos.migration_events TO ${role};
      ALTER TABLE app.ledgers OWNER TO ${role};`);
    const r = await asProbe(['down']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      [
        'failed to revert 001_down.sql',
        `aibos: Cannot record 001_down.sql in the migration history on ${display}: permission denied for table migration_events (SQLSTATE 42501); it was rolled back: nothing of 001_down.sql was applied — run aibos as the migration owner (the role that creates and owns schema aibos), or GRANT SELECT, INSERT ON aibos.migration_events TO ${role};`,
      ].join('\n'),
    );
    expect(await tableExists(db, 'app.ledgers')).toBe(true);
    expect((await historyRows(db)).map((h) => h.version)).toEqual(['1']);
    expect((await events(db)).map((e) => e.event)).toEqual(['up']);
  });

  it('a migration that fails on its own SQL still names its file and line when the audit trail refuses its failure row', async () => {
    project.addTable(2, 'broken');
    await project.sum();
    expect((await project.migrate(['up', '--to', '1'])).exitCode).toBe(0);
    await db.sql.unsafe(`
      GRANT USAGE ON SCHEMA aibos, app TO ${role};
      GRANT SELECT, INSERT, UPDATE, DELETE ON aibos.schema_migrations TO ${role};
      GRANT SELECT ON aibos.migration_events TO ${role};`);
    const r = await asProbe(['up']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      [
        'failed 002_app_create_broken.sql',
        `aibos: Migration failed — migrations/002_app_create_broken.sql:3:1: SQLSTATE 42501: permission denied for database ${db.name}`,
        '  rolled back: nothing of 002_app_create_broken.sql was applied. (The audit trail did not record this failure: permission denied for table migration_events, SQLSTATE 42501.)',
      ].join('\n'),
    );
  });
});
