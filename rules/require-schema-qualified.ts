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

function relation(rv: AstNode, what: string): Unqualified[] {
  if (!rv?.relname || rv.schemaname) return [];
  return [{ name: String(rv.relname), what, node: rv, relation: true }];
}

function nameList(list: AstNode[] | undefined, what: string, isRelation = false): Unqualified[] {
  const parts = names(list);
  return parts.length === 1 ? [{ name: parts[0]!, what, relation: isRelation }] : [];
}

/** The unqualified object names a top-level DDL statement writes to or references. */
function unqualifiedNames(kind: string, node: AstNode): Unqualified[] {
  switch (kind) {
    case 'CreateStmt':
      return [
        ...relation(node.relation, 'table'),
        ...(node.inhRelations ?? []).flatMap((r: AstNode) => relation(r.RangeVar, 'parent table')),
        ...(node.tableElts ?? []).flatMap((e: AstNode) => relation(e.TableLikeClause?.relation, 'table')),
      ];
    case 'CreateTableAsStmt':
      return relation(node.into?.rel, node.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table');
    case 'ViewStmt':
      return relation(node.view, 'view');
    case 'AlterTableStmt':
      return relation(node.relation, (node.objtype ?? 'OBJECT_TABLE').replace('OBJECT_', '').toLowerCase());
    case 'IndexStmt':
      return relation(node.relation, 'table');
    case 'CreateSeqStmt':
    case 'AlterSeqStmt':
      return relation(node.sequence, 'sequence');
    case 'RenameStmt':
    case 'AlterObjectSchemaStmt':
      return relation(node.relation, 'relation');
    case 'CreateTrigStmt': {
      const fn = names(node.funcname);
      const own = fn.length === 1 && !PG_CATALOG_FUNCTIONS.has(fn[0]!.toLowerCase()) ? [{ name: fn[0]!, what: 'function', relation: false }] : [];
      return [...relation(node.relation, 'table'), ...own];
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return relation(node.table, 'table');
    case 'CreateFunctionStmt':
      return nameList(node.funcname, node.is_procedure ? 'procedure' : 'function');
    case 'CreateEnumStmt':
      return nameList(node.typeName, 'type');
    case 'CreateDomainStmt':
      return nameList(node.domainname, 'domain');
    case 'CompositeTypeStmt':
      return relation(node.typevar, 'type').map((u) => ({ ...u, relation: false }));
    case 'DropStmt': {
      const what = DROP_WHAT[node.removeType];
      if (!what) return [];
      const onTable = TABLE_MEMBER_OBJECTS.has(node.removeType);
      return dropObjectNames(node).flatMap((written) => {
        const parts = onTable ? written.slice(0, -1) : written;
        const isRelation = !['type', 'domain', 'function', 'procedure'].includes(what);
        return parts.length === 1 ? [{ name: parts[0]!, what, relation: isRelation }] : [];
      });
    }
    default:
      return [];
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
      const created = u.node !== undefined && CREATES.has(statement.kind) && [statement.node.relation, statement.node.into?.rel, statement.node.view, statement.node.sequence].includes(u.node);
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
            if (info.statement.node === node) check(unqualifiedNames(kind, node), info.statement);
          },
        ]),
      ),
      // REFERENCES, inline or as a table constraint, in CREATE TABLE or ALTER TABLE.
      Constraint(node: AstNode, info: VisitInfo) {
        if (node.contype === 'CONSTR_FOREIGN' && node.pktable) check(relation(node.pktable, 'referenced table'), info.statement);
      },
    };
  },
});
