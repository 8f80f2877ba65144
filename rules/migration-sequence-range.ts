import { displayKey, dropObjectNames, names } from '../src/lint/ast.js';
import { createRule, type AstNode } from '../src/lint/types.js';

/** The schema an object-defining statement writes to, when it names one. */
function schemasTouched(kind: string, node: AstNode): { schema: string; node: AstNode }[] {
  const rel = (rv: AstNode) => (rv?.schemaname ? [{ schema: String(rv.schemaname).toLowerCase(), node: rv }] : []);
  const qualified = (list: AstNode[] | undefined, at: AstNode) => {
    const parts = names(list);
    return parts.length >= 2 ? [{ schema: parts[parts.length - 2]!.toLowerCase(), node: at }] : [];
  };
  switch (kind) {
    case 'CreateStmt':
    case 'IndexStmt':
    case 'AlterTableStmt':
    case 'CreateTrigStmt':
      return rel(node.relation);
    case 'CreateTableAsStmt':
      return rel(node.into?.rel);
    case 'ViewStmt':
      return rel(node.view);
    case 'CreateSeqStmt':
      return rel(node.sequence);
    case 'CreatePolicyStmt':
      return rel(node.table);
    case 'CreateSchemaStmt':
      return node.schemaname ? [{ schema: String(node.schemaname).toLowerCase(), node }] : [];
    case 'CreateFunctionStmt':
      return qualified(node.funcname, node);
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
      return node.typeName ? qualified(node.typeName, node) : rel(node.typevar);
    case 'DropStmt': {
      // DROP POLICY/TRIGGER/RULE name ON schema.table: the last part is the object, the table's schema comes before it.
      const onTable = ['OBJECT_POLICY', 'OBJECT_TRIGGER', 'OBJECT_RULE'].includes(node.removeType);
      if (node.removeType === 'OBJECT_SCHEMA') return dropObjectNames(node).flatMap((parts) => (parts[0] ? [{ schema: parts[0].toLowerCase(), node }] : []));
      return dropObjectNames(node).flatMap((parts) => {
        const relevant = onTable ? parts.slice(0, -1) : parts;
        return relevant.length >= 2 ? [{ schema: relevant[relevant.length - 2]!.toLowerCase(), node }] : [];
      });
    }
    default:
      return [];
  }
}

export default createRule({
  meta: {
    id: 'migration-sequence-range',
    level: 'block',
    category: 'governance',
    summary: "A sequence number outside its schema's range, used twice, or a file whose objects live in another schema than its name says.",
  },
  create(context) {
    let reportedSchema = false;
    return {
      'run:start'() {
        const seen = new Map<number, string>();
        for (const file of context.migrations.ups) {
          if (!file.grammarOk || file.seq === undefined) continue;
          const first = seen.get(file.seq);
          if (first) {
            context.report({
              file,
              message: `sequence ${String(file.seq).padStart(3, '0')} is used twice: ${file.name} and ${first}`,
              help: 'give one of them the next free number (`aibos new` picks it); two branches that added the same number must be renumbered before merge',
            });
          } else seen.set(file.seq, file.name);
        }
      },
      'file:start'() {
        reportedSchema = false;
        const file = context.file;
        if (!file.grammarOk || file.seq === undefined || !file.schema) return;
        const settings = context.config.schemas[file.schema];
        if (!settings) {
          const known = Object.keys(context.config.schemas);
          context.report({
            message: `${file.name} names schema "${file.schema}", which has no sequence range`,
            help: `use one of ${known.join(', ')}, or add "schemas": { "${file.schema}": { "range": [low, high] } } to the config`,
          });
          return;
        }
        const [low, high] = settings.range;
        if (file.seq < low || file.seq > high) {
          context.report({
            message: `${file.name}: sequence ${file.seq} is outside the ${file.schema} range ${low}-${high}`,
            help: `renumber the file into ${low}-${high} (\`aibos new ${file.schema} <action> <entity>\` picks the next free number)`,
          });
        }
      },
      ...Object.fromEntries(
        ['CreateStmt', 'IndexStmt', 'AlterTableStmt', 'CreateTrigStmt', 'CreateTableAsStmt', 'ViewStmt', 'CreateSeqStmt', 'CreatePolicyStmt', 'CreateSchemaStmt', 'CreateFunctionStmt', 'CreateEnumStmt', 'CompositeTypeStmt', 'DropStmt'].map((kind) => [
          kind,
          (node: AstNode, info: { statement: { kind: string; node: AstNode } }) => {
            const file = context.file;
            if (reportedSchema || !file.grammarOk || !file.schema || info.statement.node !== node) return;
            for (const touched of schemasTouched(kind, node)) {
              if (touched.schema === file.schema || touched.schema === 'pg_temp') continue;
              reportedSchema = true;
              context.report({
                node: touched.node,
                message: `${file.name} is a ${file.schema} migration but this statement writes to schema ${displayKey(touched.schema)}`,
                help: `move the statement into a ${touched.schema} migration (its own number range), or rename the file if it belongs to ${touched.schema}`,
              });
              return;
            }
          },
        ]),
      ),
    };
  },
});
