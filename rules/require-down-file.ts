import { folderSqlNames, hasDownAmong } from '../src/migrations/files.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'require-down-file',
    level: 'warn',
    envLevels: { prod: 'block' },
    category: 'governance',
    summary: 'An up migration without a down file to roll it back; a down file without the up it undoes.',
  },
  create(context) {
    const listings = new Map<string, readonly string[]>();
    const folderNames = (dir: string): readonly string[] => {
      let names = listings.get(dir);
      if (!names) {
        try {
          names = folderSqlNames(dir);
        } catch {
          names = [];
        }
        listings.set(dir, names);
      }
      return names;
    };
    return {
      'file:start'() {
        const file = context.file;
        // A down with no up (its up renamed or deleted): nothing would ever run it, and it undoes nothing that exists.
        // Only in the migrations folder, all of it linted, and for names in aibos's grammar: other tools pair by
        // conventions of their own (`x.down.sql` with `x.postgres.up.sql`, or with an up written in Go).
        if (file.role === 'down' && file.grammarOk && !file.pair && context.migrationDir?.path === file.dir) {
          context.report({
            message: `${file.name} has no up file to undo`,
            help: 'name it after its up file (101_down.sql for 101_..., or x.down.sql for x.sql) so the two pair, or delete it with the up it belonged to',
          });
          return;
        }
        // An empty or comment-only file changes nothing: nothing to explain or roll back.
        if (file.role !== 'up' || file.pair || !file.parsed.statements.length) return;
        // A file named on its own (`aibos lint migrations/101_x.sql`): its down is on disk next to it, not in the run.
        if (context.migrations.named?.has(file.path) && hasDownAmong(file, folderNames(file.dir))) return;
        // A dialect variant (`x.sql.postgres`) has no down name aibos would pair with it: no name is suggested.
        const downName = file.seq !== undefined && file.grammarOk ? `${String(file.seq).padStart(3, '0')}_down.sql` : /\.sql$/i.test(file.name) ? file.name.replace(/\.sql$/i, '.down.sql') : 'a down file';
        context.report({
          message: `${file.name} has no down file`,
          help: `add ${downName} next to it that undoes this migration (drop what it creates, in reverse order); production rollbacks need it`,
        });
      },
    };
  },
});
