import { names, overlongIdentifiers, type LongIdentifier } from '../src/lint/ast.js';
import { createRule, type AstNode, type Statement, type VisitInfo } from '../src/lint/types.js';

const MAX_BYTES = 63;

/**
 * The node types that define a name: where the parser put it (already cut to 63 bytes, as Postgres does)
 * and what the message calls the object.
 */
const DEFINES: Record<string, { name: (node: AstNode) => unknown; kind: (node: AstNode) => string }> = {
  CreateStmt: { name: (n) => n.relation?.relname, kind: () => 'table' },
  CreateTableAsStmt: { name: (n) => n.into?.rel?.relname, kind: (n) => (n.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table') },
  ViewStmt: { name: (n) => n.view?.relname, kind: () => 'view' },
  CreateSeqStmt: { name: (n) => n.sequence?.relname, kind: () => 'sequence' },
  IndexStmt: { name: (n) => n.idxname, kind: () => 'index' },
  ColumnDef: { name: (n) => n.colname, kind: () => 'column' },
  Constraint: { name: (n) => n.conname, kind: () => 'constraint' },
  CreatePolicyStmt: { name: (n) => n.policy_name, kind: () => 'policy' },
  CreateTrigStmt: { name: (n) => n.trigname, kind: () => 'trigger' },
  CreateFunctionStmt: { name: (n) => names(n.funcname).at(-1), kind: (n) => (n.is_procedure ? 'procedure' : 'function') },
  CreateSchemaStmt: { name: (n) => n.schemaname, kind: () => 'schema' },
  RenameStmt: { name: (n) => n.newname, kind: () => 'new name' },
};

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
    const visit = (defines: (typeof DEFINES)[string]) => (node: AstNode, { statement }: VisitInfo) => {
      const name = defines.name(node);
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
        message: `${defines.kind(node)} name ${token.name} is ${token.bytes} bytes; Postgres silently truncates it to ${MAX_BYTES} bytes: ${token.truncated}`,
        help: `shorten it to at most ${MAX_BYTES} bytes yourself (a truncated name can collide with another and will not match what code and later migrations write)`,
      });
    };
    return Object.fromEntries(Object.entries(DEFINES).map(([type, defines]) => [type, visit(defines)]));
  },
});
