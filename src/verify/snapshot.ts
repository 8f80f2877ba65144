/**
 * A snapshot of the real catalog (pg_catalog, via SQL), flattened to named
 * objects with comparable properties. Two snapshots of the same database
 * compare object by object: that is how verify tells what a down left behind.
 *
 * Objects that belong to an extension are folded into the extension itself,
 * and the system schemas plus the aibos history schema are left out.
 */
import type { DbSession } from '../db/types.js';

export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'policy'
  | 'trigger'
  | 'function'
  | 'type'
  | 'sequence'
  | 'view';

export interface CatalogObject {
  kind: ObjectKind;
  /** Qualified name: `finance.accounts`, `finance.accounts.name` (column, constraint, policy, trigger), `finance.f(uuid, text)`. */
  name: string;
  /** Properties compared between snapshots; the first listed is the object's main one (see diff.ts). */
  props: Record<string, string>;
  /** The table a column, constraint, index, policy, trigger or owned sequence belongs to. */
  parent?: string;
}

/** key `kind name` -> object */
export type Snapshot = Map<string, CatalogObject>;

export const keyOf = (o: Pick<CatalogObject, 'kind' | 'name'>) => `${o.kind} ${o.name}`;

// `$1` is the list of excluded schemas (a JSON array). Every query leaves out pg_catalog, information_schema,
// pg_toast and temp schemas, and anything an extension owns (pg_depend deptype 'e').
const USER_NS = `n.nspname NOT IN (SELECT json_array_elements_text($1::text::json)) AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`;
// A NULL acl means the owner's default privileges; GRANT then REVOKE leaves the same rights written out.
// Comparing the effective list (defaults filled in, sorted) keeps that from looking like a change.
const privileges = (acl: string, type: string, owner: string) =>
  `(SELECT string_agg(a::text, ', ' ORDER BY a::text) FROM unnest(coalesce(${acl}, acldefault('${type}', ${owner}))) AS a)`;
const notExtensionMember = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

interface Row {
  kind: ObjectKind;
  name: string;
  parent: string | null;
  props: Record<string, string | null> | string;
}

const QUERIES: string[] = [
  // schemas
  `SELECT 'schema' AS kind, quote_ident(n.nspname) AS name, NULL::text AS parent,
          json_build_object('privileges', ${privileges('n.nspacl', 'n', 'n.nspowner')}, 'comment', obj_description(n.oid, 'pg_namespace')) AS props
     FROM pg_namespace n WHERE ${USER_NS} AND ${notExtensionMember('pg_namespace', 'n.oid')}`,
  // extensions
  `SELECT 'extension' AS kind, quote_ident(e.extname) AS name, NULL::text AS parent,
          json_build_object('version', e.extversion, 'schema', n.nspname) AS props
     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace`,
  // tables (ordinary, partitioned, foreign)
  `SELECT 'table' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, NULL::text AS parent,
          json_build_object(
            'kind', CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END,
            'row level security', CASE WHEN c.relrowsecurity THEN 'enabled' ELSE 'disabled' END,
            'forced row level security', CASE WHEN c.relforcerowsecurity THEN 'forced' ELSE 'not forced' END,
            'persistence', CASE c.relpersistence WHEN 'u' THEN 'unlogged' WHEN 't' THEN 'temporary' ELSE 'logged' END,
            'partition key', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
            'partition of', CASE WHEN c.relispartition THEN (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) || ' ' || pg_get_expr(c.relpartbound, c.oid)
                                 FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) END,
            'privileges', ${privileges('c.relacl', 'r', 'c.relowner')},
            'comment', obj_description(c.oid, 'pg_class')) AS props
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_NS} AND ${notExtensionMember('pg_class', 'c.oid')}`,
  // columns of tables
  `SELECT 'column' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(a.attname) AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS parent,
          json_build_object(
            'type', format_type(a.atttypid, a.atttypmod),
            'nullability', CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'NULL' END,
            'default', pg_get_expr(ad.adbin, ad.adrelid),
            'identity', CASE a.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END,
            'generated', CASE a.attgenerated WHEN 's' THEN 'STORED' WHEN 'v' THEN 'VIRTUAL' END,
            'collation', CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
            'comment', col_description(c.oid, a.attnum)) AS props
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND ${USER_NS}
      AND ${notExtensionMember('pg_class', 'c.oid')}`,
  // constraints on tables (domain constraints are part of their type)
  `SELECT 'constraint' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(k.conname) AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS parent,
          json_build_object('definition', pg_get_constraintdef(k.oid), 'deferrable',
            CASE WHEN k.condeferrable THEN CASE WHEN k.condeferred THEN 'INITIALLY DEFERRED' ELSE 'DEFERRABLE' END END) AS props
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.conrelid <> 0 AND k.contype <> 'n' AND ${USER_NS} AND ${notExtensionMember('pg_class', 'c.oid')}`,
  // indexes, except those that back a constraint (reported as the constraint)
  `SELECT 'index' AS kind, quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS name, (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) FROM pg_class tc JOIN pg_namespace tn ON tn.oid = tc.relnamespace WHERE tc.oid = i.indrelid) AS parent,
          json_build_object('definition', pg_get_indexdef(ic.oid), 'valid', CASE WHEN i.indisvalid THEN NULL ELSE 'INVALID' END) AS props
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
    WHERE ${USER_NS} AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
      AND ${notExtensionMember('pg_class', 'i.indrelid')}`,
  // row level security policies
  `SELECT 'policy' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(p.polname) AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS parent,
          json_build_object(
            'command', CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
            'mode', CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
            'roles', (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END, ', ' ORDER BY 1) FROM unnest(p.polroles) AS r),
            'using', pg_get_expr(p.polqual, p.polrelid),
            'with check', pg_get_expr(p.polwithcheck, p.polrelid)) AS props
     FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_NS}`,
  // triggers (user ones; constraint triggers for FKs are internal)
  `SELECT 'trigger' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(t.tgname) AS name, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS parent,
          json_build_object('definition', pg_get_triggerdef(t.oid), 'enabled',
            CASE t.tgenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END) AS props
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND ${USER_NS}`,
  // functions and procedures: the full definition for those that have one, else (aggregates) the body and signature
  `SELECT 'function' AS kind, quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name, NULL::text AS parent,
          json_build_object(
            'definition', md5(CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid)
                                  ELSE p.prokind::text || ' ' || pg_get_function_result(p.oid) || ' ' || coalesce(p.prosrc, '') END),
            'returns', pg_get_function_result(p.oid),
            'privileges', ${privileges('p.proacl', 'f', 'p.proowner')}) AS props
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE ${USER_NS} AND ${notExtensionMember('pg_proc', 'p.oid')}`,
  // enums, standalone composites, domains, ranges
  `SELECT 'type' AS kind, quote_ident(n.nspname) || '.' || quote_ident(t.typname) AS name, NULL::text AS parent,
          json_build_object(
            'kind', CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'c' THEN 'composite' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range' WHEN 'm' THEN 'multirange' END,
            'labels', CASE WHEN t.typtype = 'e' THEN (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END,
            'attributes', CASE WHEN t.typtype = 'c' THEN (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                                          FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END,
            'base type', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
            'nullability', CASE WHEN t.typtype = 'd' AND t.typnotnull THEN 'NOT NULL' END,
            'default', t.typdefault,
            'checks', CASE WHEN t.typtype = 'd' THEN (SELECT string_agg(quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), ', ' ORDER BY k.conname)
                                                      FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype <> 'n') END,
            'subtype', CASE WHEN t.typtype = 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) END) AS props
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'c', 'd', 'r', 'm')
      AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
      AND ${USER_NS} AND ${notExtensionMember('pg_type', 't.oid')}`,
  // sequences
  `SELECT 'sequence' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i') LIMIT 1) AS parent,
          json_build_object(
            'type', format_type(s.seqtypid, NULL), 'start', s.seqstart::text, 'increment', s.seqincrement::text,
            'min', s.seqmin::text, 'max', s.seqmax::text, 'cycle', CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END,
            'owned by', (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
                           FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                           JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i') LIMIT 1),
            'privileges', ${privileges('c.relacl', 's', 'c.relowner')}) AS props
     FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_NS} AND ${notExtensionMember('pg_class', 'c.oid')}`,
  // views and materialized views
  `SELECT 'view' AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, NULL::text AS parent,
          json_build_object('definition', pg_get_viewdef(c.oid, true), 'kind', CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END,
            'options', array_to_string(c.reloptions, ', '), 'privileges', ${privileges('c.relacl', 'r', 'c.relowner')}) AS props
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm') AND ${USER_NS} AND ${notExtensionMember('pg_class', 'c.oid')}`,
];

// One round trip: the queries are independent, so UNION them into a single statement.
const SNAPSHOT_SQL = QUERIES.map((q) => `(${q})`).join('\nUNION ALL\n');
const PREPARED = 'aibos_verify_snapshot';

/**
 * Sessions that have the snapshot statement prepared: verify takes two snapshots per migration on
 * the same session, and planning this statement again each time was about half of each on PGlite.
 */
const prepared = new WeakSet<DbSession>();

async function snapshotRows(db: DbSession, excludedJson: string): Promise<Row[]> {
  if (!prepared.has(db)) {
    // A JSON text parameter: array parameters need type information one of the drivers does not fetch.
    await db.exec(`PREPARE ${PREPARED}(text) AS ${SNAPSHOT_SQL}`);
    prepared.add(db);
  }
  try {
    return await db.query<Row>(`EXECUTE ${PREPARED}('${excludedJson.replace(/'/g, "''")}')`);
  } catch (error) {
    // A migration ran DEALLOCATE ALL or DISCARD ALL on the shadow: prepare it again.
    if ((error as { code?: unknown } | undefined)?.code !== '26000') throw error;
    prepared.delete(db);
    return snapshotRows(db, excludedJson);
  }
}

/** Reads the catalog of the database `db` is connected to. */
export async function takeSnapshot(db: DbSession, excludedSchemas: string[]): Promise<Snapshot> {
  const excluded = ['pg_catalog', 'information_schema', 'pg_toast', ...excludedSchemas];
  const snapshot: Snapshot = new Map();
  const rows = await snapshotRows(db, JSON.stringify(excluded));
  for (const row of rows) {
    const props: Record<string, string> = {};
    // json comes back parsed from both drivers; be tolerant of a driver that hands over text.
    const raw = typeof row.props === 'string' ? (JSON.parse(row.props) as Record<string, string | null>) : row.props;
    for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) props[k] = String(v);
    const object: CatalogObject = { kind: row.kind, name: row.name, props, ...(row.parent ? { parent: row.parent } : {}) };
    snapshot.set(keyOf(object), object);
  }
  return snapshot;
}
