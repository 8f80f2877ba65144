import { liveTableKey, writtenName } from '../src/lint/ast.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'require-concurrent-index-creation',
    level: 'warn',
    category: 'safety',
    summary: 'CREATE INDEX without CONCURRENTLY on a table that existed before this file.',
  },
  create(context) {
    // Materialized views created in this file: indexing them blocks nobody either.
    const newViews = new Set<string>();
    return {
      'file:start'() {
        newViews.clear();
      },
      CreateTableAsStmt(node) {
        if (node.objtype === 'OBJECT_MATVIEW' && node.into?.rel) newViews.add(context.catalog.keyOf(node.into.rel));
      },
      IndexStmt(node) {
        if (node.concurrent) return;
        const key = liveTableKey(context, node.relation);
        if (!key || newViews.has(key)) return;
        const table = writtenName(node.relation);
        const index = node.idxname ? `index ${node.idxname}` : 'an index';
        const target = context.catalog.table(key);
        // Postgres cannot build an index on a partitioned parent concurrently; the fix there is per partition.
        const partitioned = target?.partitioned === true;
        context.report({
          wholeStatement: true,
          message: `CREATE ${node.unique ? 'UNIQUE ' : ''}INDEX builds ${index} on ${table}, which already exists, holding a SHARE lock that blocks every write until the build ends`,
          help: partitioned
            ? `${table} is partitioned: create the index ON ONLY ${table}, build each partition's index CONCURRENTLY in its own file, then ALTER INDEX ... ATTACH PARTITION`
            : `build it online, alone in its own migration file: \`CREATE ${node.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${node.idxname ?? '<name>'} ON ${table} ...\``,
        });
      },
    };
  },
});
