import { names, overlongIdentifiers, type LongIdentifier } from '../src/lint/ast.js';
import { createRule, type AstNode, type Statement, type VisitInfo } from '../src/lint/types.js';

const MAX_BYTES = 63;

/** The names a node defines (as the parser returns them: already cut to 63 bytes). */
function definedNames(type: string, node: AstNode): { kind: string; name?: string }[] {
  switch (type) {
    case 'CreateStmt':
      return [{ kind: 'table', name: node.relation?.relname }];
    case 'CreateTableAsStmt':
      return [{ kind: node.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', name: node.into?.rel?.relname }];
    case 'ViewStmt':
      return [{ kind: 'view', name: node.view?.relname }];
    case 'CreateSeqStmt':
      return [{ kind: 'sequence', name: node.sequence?.relname }];
    case 'IndexStmt':
      return [{ kind: 'index', name: node.idxname }];
    case 'ColumnDef':
      return [{ kind: 'column', name: node.colname }];
    case 'Constraint':
      return [{ kind: 'constraint', name: node.conname }];
    case 'CreatePolicyStmt':
      return [{ kind: 'policy', name: node.policy_name }];
    case 'CreateTrigStmt':
      return [{ kind: 'trigger', name: node.trigname }];
    case 'CreateFunctionStmt':
      return [{ kind: node.is_procedure ? 'procedure' : 'function', name: names(node.funcname).at(-1) }];
    case 'CreateSchemaStmt':
      return [{ kind: 'schema', name: node.schemaname }];
    case 'RenameStmt':
      return [{ kind: 'new name', name: node.newname }];
    default:
      return [];
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
      for (const { kind, name } of definedNames(type, node)) {
        // A truncated name is 61–63 bytes (cut on a character boundary); shorter ones were never cut.
        // (A UTF-8 byte count is at most three per UTF-16 unit: most names are ruled out by length alone.)
        if (!name || String(name).length * 3 < MAX_BYTES - 3 || Buffer.byteLength(String(name), 'utf8') < MAX_BYTES - 3) continue;
        if (cachedFor !== statement) {
          cachedFor = statement;
          tokens = overlongIdentifiers(context, statement);
          reported.clear();
        }
        const token = tokens.find((t) => t.truncated === name && !reported.has(t));
        if (!token) continue;
        for (const t of tokens) if (t.truncated === name) reported.add(t);
        context.report({
          offset: token.start,
          endOffset: token.end,
          message: `${kind} name ${token.name} is ${token.bytes} bytes; Postgres silently truncates it to ${MAX_BYTES} bytes: ${token.truncated}`,
          help: `shorten it to at most ${MAX_BYTES} bytes yourself (a truncated name can collide with another and will not match what code and later migrations write)`,
        });
      }
    };
    return Object.fromEntries(TYPES.map((t) => [t, visit(t)]));
  },
});
