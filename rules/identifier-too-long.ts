import { names, overlongIdentifiers, type LongIdentifier } from '../src/lint/ast.js';
import { createRule, type AstNode, type Statement, type VisitInfo } from '../src/lint/types.js';

const MAX_BYTES = 63;

/** The name a node defines (as the parser returns it: already cut to 63 bytes). */
function definedName(type: string, node: AstNode): unknown {
  switch (type) {
    case 'CreateStmt':
      return node.relation?.relname;
    case 'CreateTableAsStmt':
      return node.into?.rel?.relname;
    case 'ViewStmt':
      return node.view?.relname;
    case 'CreateSeqStmt':
      return node.sequence?.relname;
    case 'IndexStmt':
      return node.idxname;
    case 'ColumnDef':
      return node.colname;
    case 'Constraint':
      return node.conname;
    case 'CreatePolicyStmt':
      return node.policy_name;
    case 'CreateTrigStmt':
      return node.trigname;
    case 'CreateFunctionStmt':
      return names(node.funcname).at(-1);
    case 'CreateSchemaStmt':
      return node.schemaname;
    case 'RenameStmt':
      return node.newname;
    default:
      return undefined;
  }
}

/** What the message calls the name's object. */
function kindOf(type: string, node: AstNode): string {
  switch (type) {
    case 'CreateStmt':
      return 'table';
    case 'CreateTableAsStmt':
      return node.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table';
    case 'CreateFunctionStmt':
      return node.is_procedure ? 'procedure' : 'function';
    case 'RenameStmt':
      return 'new name';
    case 'CreateSeqStmt':
      return 'sequence';
    case 'IndexStmt':
      return 'index';
    case 'ColumnDef':
      return 'column';
    case 'Constraint':
      return 'constraint';
    case 'CreatePolicyStmt':
      return 'policy';
    case 'CreateTrigStmt':
      return 'trigger';
    case 'CreateSchemaStmt':
      return 'schema';
    case 'ViewStmt':
      return 'view';
    default:
      return 'object';
  }
}

const TYPES = ['CreateStmt', 'CreateTableAsStmt', 'ViewStmt', 'CreateSeqStmt', 'IndexStmt', 'ColumnDef', 'Constraint', 'CreatePolicyStmt', 'CreateTrigStmt', 'CreateFunctionStmt', 'CreateSchemaStmt', 'RenameStmt'];

export default createRule({
  meta: {
    id: 'identifier-too-long',
    level: 'block',
    category: 'safety',
    summary: 'An identifier over 63 bytes, which Postgres silently truncates.',
  },
  create(context) {
    // Per statement: its over-long tokens, and the ones already reported.
    let cachedFor: Statement | undefined;
    let tokens: LongIdentifier[] = [];
    const reported = new Set<LongIdentifier>();
    const visit = (type: string) => (node: AstNode, { statement }: VisitInfo) => {
      const name = definedName(type, node);
      // A truncated name is 61–63 bytes (cut on a character boundary); shorter ones were never cut.
      // (A UTF-8 byte count is at most three per UTF-16 unit: most names are ruled out by length alone.)
      if (!name || String(name).length * 3 < MAX_BYTES - 3 || Buffer.byteLength(String(name), 'utf8') < MAX_BYTES - 3) return;
      if (cachedFor !== statement) {
        cachedFor = statement;
        tokens = overlongIdentifiers(context, statement);
        reported.clear();
      }
      const token = tokens.find((t) => t.truncated === name && !reported.has(t));
      if (!token) return;
      for (const t of tokens) if (t.truncated === name) reported.add(t);
      context.report({
        offset: token.start,
        endOffset: token.end,
        message: `${kindOf(type, node)} name ${token.name} is ${token.bytes} bytes; Postgres silently truncates it to ${MAX_BYTES} bytes: ${token.truncated}`,
        help: `shorten it to at most ${MAX_BYTES} bytes yourself (a truncated name can collide with another and will not match what code and later migrations write)`,
      });
    };
    return Object.fromEntries(TYPES.map((t) => [t, visit(t)]));
  },
});
