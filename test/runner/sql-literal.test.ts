import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral } from '../../src/sql/ident.js';
import { hasServer, SERVER_URL } from './helpers.js';

// The bookkeeping reads put config-derived values (table names, approver roles as JSON) inline as literals:
// the server must read back exactly what was written, whatever standard_conforming_strings says.
const VALUES = ["plain", "it's", "back\\slash", "both\\'s", "''", "\\", 'ünïcode "quoted"', '["aibos_admin","o\'brien"]'];

describe.runIf(hasServer)('quoteLiteral on a real server', () => {
  let sql: postgres.Sql;
  beforeAll(() => {
    sql = postgres(SERVER_URL!, { max: 1, onnotice: () => undefined });
  });
  afterAll(async () => {
    await sql.end();
  });

  for (const conforming of ['on', 'off']) {
    it(`reads back every value with standard_conforming_strings = ${conforming}`, async () => {
      const read = await sql.begin(async (tx) => {
        await tx.unsafe(`SET LOCAL standard_conforming_strings = ${conforming}`);
        await tx.unsafe('SET LOCAL escape_string_warning = off');
        const rows = await tx.unsafe(`SELECT ${VALUES.map((v, i) => `${quoteLiteral(v)}::text AS v${i}`).join(', ')}`);
        return Object.values(rows[0]!);
      });
      expect(read).toEqual(VALUES);
    });
  }
});
