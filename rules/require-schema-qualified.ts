import { dropObjectNames, nameOffset, names, sqlIdent, sqlKey, TABLE_MEMBER_OBJECTS } from '../src/lint/ast.js';
import { createRule, type AstNode, type Statement, type VisitInfo } from '../src/lint/types.js';

/** Trigger functions that ship in pg_catalog: always found, whatever the search_path. */
const PG_CATALOG_FUNCTIONS = new Set(['suppress_redundant_updates_trigger', 'tsvector_update_trigger', 'tsvector_update_trigger_column']);

interface Unqualified {
  name: string;
  what: string;
  /** A node with a location, when the parser gives one. */
  node?: AstNode;
  /** A relation name (as opposed to a function or type): a temp table of that name is exempt. */
  relation: boolean;
}

const DROP_WHAT: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_INDEX: 'index',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FOREIGN_TABLE: 'foreign table',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'domain',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'procedure',
  OBJECT_TRIGGER: 'table',
  OBJECT_POLICY: 'table',
  OBJECT_RULE: 'table',
};

/** Adds the relation (or composite type: `isRelation` false) to `out` when it is named without its schema. */
function relation(rv: AstNode, what: string, out: Unqualified[], isRelation = true): Unqualified[] {
  if (rv?.relname && !rv.schemaname) out.push({ name: String(rv.relname), what, node: rv, relation: isRelation });
  return out;
}

function nameList(list: AstNode[] | undefined, what: string, out: Unqualified[], isRelation = false): Unqualified[] {
  const parts = names(list);
  if (parts.length === 1) out.push({ name: parts[0]!, what, relation: isRelation });
  return out;
}

const NOT_RELATIONS = new Set(['type', 'domain', 'function', 'procedure']);

/**
 * The unqualified object names a top-level DDL statement writes to or references, added to `out`. Runs on
 * every DDL statement of a lint, nearly always finding nothing: it allocates only for what it finds.
 */
function unqualifiedNames(kind: string, node: AstNode, out: Unqualified[]): Unqualified[] {
  switch (kind) {
    case 'CreateStmt':
      relation(node.relation, 'table', out);
      for (const r of node.inhRelations ?? []) relation(r.RangeVar, 'parent table', out);
      for (const e of node.tableElts ?? []) if (e.TableLikeClause) relation(e.TableLikeClause.relation, 'table', out);
      return out;
    case 'CreateTableAsStmt':
      return relation(node.into?.rel, node.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', out);
    case 'ViewStmt':
      return relation(node.view, 'view', out);
    case 'AlterTableStmt':
      return relation(node.relation, (node.objtype ?? 'OBJECT_TABLE').replace('OBJECT_', '').toLowerCase(), out);
    case 'IndexStmt':
      return relation(node.relation, 'table', out);
    case 'CreateSeqStmt':
    case 'AlterSeqStmt':
      return relation(node.sequence, 'sequence', out);
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt':
      return relation(node.relation, 'relation', out);
    case 'CreateTrigStmt': {
      relation(node.relation, 'table', out);
      const fn = names(node.funcname);
      if (fn.length === 1 && !PG_CATALOG_FUNCTIONS.has(fn[0]!.toLowerCase())) out.push({ name: fn[0]!, what: 'function', relation: false });
      return out;
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return relation(node.table, 'table', out);
    case 'CreateFunctionStmt':
      return nameList(node.funcname, node.is_procedure ? 'procedure' : 'function', out);
    case 'CreateEnumStmt':
      return nameList(node.typeName, 'type', out);
    case 'CreateDomainStmt':
      return nameList(node.domainname, 'domain', out);
    case 'CompositeTypeStmt':
      return relation(node.typevar, 'type', out, false);
    case 'DropStmt': {
      const what = DROP_WHAT[node.removeType];
      if (!what) return out;
      const onTable = TABLE_MEMBER_OBJECTS.has(node.removeType);
      const isRelation = !NOT_RELATIONS.has(what);
      for (const written of dropObjectNames(node)) {
        // A policy, trigger or rule is named on its table: the table's name is all but the last part.
        if ((onTable ? written.length - 1 : written.length) === 1) out.push({ name: written[0]!, what, relation: isRelation });
      }
      return out;
    }
    default:
      return out;
  }
}

const KINDS = [
  'CreateStmt', 'CreateTableAsStmt', 'ViewStmt', 'AlterTableStmt', 'IndexStmt', 'CreateSeqStmt', 'AlterSeqStmt', 'RenameStmt',
  'AlterObjectSchemaStmt', 'CreateTrigStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'CreateFunctionStmt', 'CreateEnumStmt',
  'CreateDomainStmt', 'CompositeTypeStmt', 'DropStmt',
];

/** Statements whose own relation is the one they create: its schema comes from the file, not the history. */
const CREATES = new Set(['CreateStmt', 'CreateTableAsStmt', 'ViewStmt', 'CreateSeqStmt']);

export default createRule({
  meta: {
    id: 'require-schema-qualified',
    level: 'block',
    category: 'governance',
    summary: 'CREATE/ALTER/DROP/INDEX/REFERENCES naming an object without its schema.',
  },
  create(context) {
    const schemaHint = () => context.file.schema ?? 'the_schema';
    const isTemp = (u: Unqualified, rv?: AstNode) => u.relation && (rv?.relpersistence === 't' || context.catalog.isTempName(u.name));
    /** The name to write: the schema of the one table the history has by that name, else the file's schema. */
    const qualified = (u: Unqualified, statement: Statement) => {
      const own = statement.node;
      const created = u.node !== undefined && CREATES.has(statement.kind) && (u.node === own.relation || u.node === own.into?.rel || u.node === own.view || u.node === own.sequence);
      const known = u.relation && !created ? context.catalog.tablesNamed(u.name).filter((k) => !k.startsWith('pg_temp.')) : [];
      if (known.length) return `${known.length > 1 ? 'one of ' : ''}${known.map(sqlKey).join(', ')}`;
      return `${schemaHint()}.${sqlIdent(u.name)}`;
    };
    const check = (found: Unqualified[], statement: Statement) => {
      for (const u of found) {
        if (isTemp(u, u.node)) continue;
        context.report({
          node: u.node,
          offset: u.node ? undefined : nameOffset(context, statement, u.name),
          message: `${u.what} ${u.name} is not schema-qualified`,
          help: `write ${qualified(u, statement)}: an unqualified name resolves through search_path, which differs between sessions, roles and providers`,
        });
      }
    };
    return {
      ...Object.fromEntries(
        KINDS.map((kind) => [
          kind,
          (node: AstNode, info: VisitInfo) => {
            if (info.statement.node === node) check(unqualifiedNames(kind, node, []), info.statement);
          },
        ]),
      ),
      // REFERENCES, inline or as a table constraint, in CREATE TABLE or ALTER TABLE.
      Constraint(node: AstNode, info: VisitInfo) {
        if (node.contype === 'CONSTR_FOREIGN' && node.pktable) check(relation(node.pktable, 'referenced table', []), info.statement);
      },
    };
  },
});
