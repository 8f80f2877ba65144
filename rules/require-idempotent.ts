import { dropObjectNames, nameOffset, names, TABLE_MEMBER_OBJECTS } from '../src/lint/ast.js';
import { createRule, type AstNode, type VisitInfo } from '../src/lint/types.js';

/** Object kinds whose CREATE is made re-runnable by a guarded DROP of the same name earlier in the file. */
const DROP_KIND: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_INDEX: 'index',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'view',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
};

const lower = (parts: string[]) => parts.map((p) => p.toLowerCase()).join('.');

/** `INSERT … SELECT … WHERE NOT EXISTS (…)`: the classic guard before ON CONFLICT existed. */
function guardedByNotExists(select: AstNode): boolean {
  const where = select?.SelectStmt?.whereClause;
  const isGuard = (e: AstNode): boolean =>
    e?.BoolExpr?.boolop === 'NOT_EXPR' && e.BoolExpr.args?.[0]?.SubLink?.subLinkType === 'EXISTS_SUBLINK';
  if (!where) return false;
  if (isGuard(where)) return true;
  return where.BoolExpr?.boolop === 'AND_EXPR' && where.BoolExpr.args.some(isGuard);
}

export default createRule({
  meta: {
    id: 'require-idempotent',
    level: 'warn',
    category: 'governance',
    summary: 'CREATE without IF NOT EXISTS / OR REPLACE, DROP without IF EXISTS, ADD COLUMN without IF NOT EXISTS, INSERT without ON CONFLICT.',
  },
  create(context) {
    // `kind:name` of everything a guarded DROP removed earlier in this file: `DROP … IF EXISTS x; CREATE x` re-runs fine.
    let dropped = new Set<string>();
    const wasDropped = (kind: string, parts: string[]) => {
      if (!dropped.size) return false;
      if (dropped.has(`${kind}:${lower(parts)}`)) return true;
      if (parts.length !== 1) return false;
      const prefix = `${kind}:`;
      const suffix = `.${parts[0]!.toLowerCase()}`;
      for (const d of dropped) if (d.startsWith(prefix) && d.endsWith(suffix)) return true;
      return false;
    };
    const rel = (rv: AstNode) => (rv?.schemaname ? [String(rv.schemaname), String(rv.relname)] : [String(rv?.relname ?? '')]);
    const flag = (info: VisitInfo, message: string, help: string, node?: AstNode) =>
      context.report(node?.location !== undefined ? { node, message, help } : { offset: info.statement.start, message, help });
    /** A subcommand's finding, on the name it drops (the parser gives no position for it). */
    const flagName = (info: VisitInfo, relation: AstNode, name: string, message: string, help: string) =>
      context.report({ offset: nameOffset(context, info.statement, name, relation?.location), message, help });
    const top = (node: AstNode, info: VisitInfo) => info.statement.node === node;

    return {
      'file:start'() {
        dropped = new Set();
      },
      CreateStmt(node, info) {
        if (!top(node, info) || node.if_not_exists || node.relation?.relpersistence === 't' || wasDropped('table', rel(node.relation))) return;
        const name = rel(node.relation).join('.');
        flag(info, `CREATE TABLE ${name} fails when re-run`, `write CREATE TABLE IF NOT EXISTS ${name}`);
      },
      CreateTableAsStmt(node, info) {
        const kind = node.objtype === 'OBJECT_MATVIEW' ? 'view' : 'table';
        if (!top(node, info) || node.if_not_exists || node.into?.rel?.relpersistence === 't' || wasDropped(kind, rel(node.into?.rel))) return;
        const what = kind === 'view' ? 'MATERIALIZED VIEW' : 'TABLE';
        const name = rel(node.into?.rel).join('.');
        flag(info, `CREATE ${what} ${name} AS fails when re-run`, `write CREATE ${what} IF NOT EXISTS ${name} AS ...`);
      },
      IndexStmt(node, info) {
        if (!top(node, info) || node.if_not_exists) return;
        const schema = node.relation?.schemaname;
        if (node.idxname && wasDropped('index', schema ? [schema, node.idxname] : [node.idxname])) return;
        const on = rel(node.relation).join('.');
        if (!node.idxname)
          flag(info, `unnamed CREATE INDEX on ${on} adds another copy of the index every time it runs`, 'name the index and write CREATE INDEX IF NOT EXISTS <table>_<columns>_idx ON ...');
        else flag(info, `CREATE INDEX ${node.idxname} fails when re-run`, `write CREATE INDEX IF NOT EXISTS ${node.idxname} ON ${on} ...`);
      },
      CreateSchemaStmt(node, info) {
        if (!top(node, info) || node.if_not_exists || wasDropped('schema', [String(node.schemaname)])) return;
        flag(info, `CREATE SCHEMA ${node.schemaname} fails when re-run`, `write CREATE SCHEMA IF NOT EXISTS ${node.schemaname}`);
      },
      CreateSeqStmt(node, info) {
        if (!top(node, info) || node.if_not_exists || wasDropped('sequence', rel(node.sequence))) return;
        const name = rel(node.sequence).join('.');
        flag(info, `CREATE SEQUENCE ${name} fails when re-run`, `write CREATE SEQUENCE IF NOT EXISTS ${name}`);
      },
      CreateExtensionStmt(node, info) {
        if (!top(node, info) || node.if_not_exists || wasDropped('extension', [String(node.extname)])) return;
        flag(info, `CREATE EXTENSION ${node.extname} fails when re-run`, `write CREATE EXTENSION IF NOT EXISTS ${node.extname}`);
      },
      CreateFunctionStmt(node, info) {
        if (!top(node, info) || node.replace || wasDropped('function', names(node.funcname))) return;
        const what = node.is_procedure ? 'PROCEDURE' : 'FUNCTION';
        const name = names(node.funcname).join('.');
        flag(info, `CREATE ${what} ${name} fails when re-run`, `write CREATE OR REPLACE ${what} ${name}`);
      },
      ViewStmt(node, info) {
        if (!top(node, info) || node.replace || node.view?.relpersistence === 't' || wasDropped('view', rel(node.view))) return;
        const name = rel(node.view).join('.');
        flag(info, `CREATE VIEW ${name} fails when re-run`, `write CREATE OR REPLACE VIEW ${name}`);
      },
      DropStmt(node, info) {
        if (!top(node, info)) return;
        const kind = DROP_KIND[node.removeType];
        if (node.missing_ok) {
          if (kind) for (const parts of dropObjectNames(node)) dropped.add(`${kind}:${lower(parts)}`);
          return;
        }
        const what = String(node.removeType ?? 'OBJECT_').replace('OBJECT_', '').replace(/_/g, ' ');
        // A policy, trigger or rule is named on its table: `DROP POLICY p ON s.t`.
        const onTable = TABLE_MEMBER_OBJECTS.has(node.removeType);
        const list = dropObjectNames(node)
          .map((p) => (onTable && p.length > 1 ? `${p[p.length - 1]} ON ${p.slice(0, -1).join('.')}` : p.join('.')))
          .join(', ');
        flag(info, `DROP ${what} ${list} fails when re-run (or when the object is already gone)`, `write DROP ${what} IF EXISTS ${list}`);
      },
      AlterTableStmt(node, info) {
        if (!top(node, info) || node.relation?.relpersistence === 't') return;
        const table = rel(node.relation).join('.');
        for (const item of node.cmds ?? []) {
          const cmd = item.AlterTableCmd;
          if (!cmd || cmd.missing_ok) continue;
          if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
            const column = cmd.def.ColumnDef.colname;
            flag(info, `ADD COLUMN ${column} to ${table} fails when re-run`, `write ADD COLUMN IF NOT EXISTS ${column} ...`, cmd.def.ColumnDef);
          } else if (cmd.subtype === 'AT_DropColumn') {
            flagName(info, node.relation, cmd.name, `DROP COLUMN ${cmd.name} from ${table} fails when re-run`, `write DROP COLUMN IF EXISTS ${cmd.name}`);
          } else if (cmd.subtype === 'AT_DropConstraint') {
            flagName(info, node.relation, cmd.name, `DROP CONSTRAINT ${cmd.name} on ${table} fails when re-run`, `write DROP CONSTRAINT IF EXISTS ${cmd.name}`);
          }
        }
      },
      InsertStmt(node, info) {
        if (!top(node, info) || node.onConflictClause || node.relation?.relpersistence === 't') return;
        if (context.catalog.keyOf(node.relation ?? {}).startsWith('pg_temp.') || guardedByNotExists(node.selectStmt)) return;
        const table = rel(node.relation).join('.');
        flag(info, `INSERT INTO ${table} adds the rows again when re-run`, 'add ON CONFLICT (<unique key>) DO NOTHING (or DO UPDATE) so seed data is written once', node.relation);
      },
    };
  },
});
