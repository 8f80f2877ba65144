import { describe, expect, it } from 'vitest';
import { extensionsCreatedIn, loadMigrationFiles } from '../src/migrations/files.js';

describe('extensionsCreatedIn', () => {
  it('reads the extensions the files create from their text: bare or quoted names, in DO blocks too', () => {
    const texts = new Map([
      ['/m/101_finance_create_a.sql', 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\ncreate extension CitExt with schema finance;\n'],
      ['/m/102_finance_create_b.sql', "DO $$ BEGIN EXECUTE 'CREATE EXTENSION IF NOT EXISTS pg_trgm'; END $$;\nSELECT 1;\n"],
      ['/m/102_down.sql', 'DROP EXTENSION IF EXISTS pg_trgm;\n'],
      ['/m/103_finance_create_c.sql', 'CREATE TABLE finance.c (extension text);\n'],
    ]);
    const set = loadMigrationFiles([...texts.keys()], ['finance'], '/m', texts);
    expect(extensionsCreatedIn(set.files).sort()).toEqual(['citext', 'pg_trgm', 'uuid-ossp']);
  });
});
