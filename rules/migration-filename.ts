import { suggestMigrationName } from '../src/migrations/files.js';
import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'migration-filename',
    level: 'block',
    category: 'governance',
    summary: 'An up or down file name outside the grammar {seq}_{schema}_{action}_{entity}.sql / {seq}_down.sql.',
  },
  create(context) {
    return {
      'file:start'() {
        const file = context.file;
        if (file.grammarOk) return;
        const down = file.role === 'down';
        const grammar = down
          ? 'a down file {seq}_down.sql (e.g. 101_down.sql) or {seq}_{schema}_{action}_{entity}.down.sql'
          : 'an up file {seq}_{schema}_{action}_{entity}.sql with a 3+ digit sequence and lower snake_case, e.g. 101_finance_create_accounts.sql';
        const rename = suggestMigrationName(file.name, Object.keys(context.config.schemas));
        context.report({
          message: `${file.name} does not follow the migration file grammar`,
          // `git mv`: the history and aibos.sum know a migration by its name, so rename before it is applied.
          help: rename ? `rename it to ${rename} (git mv, then aibos sum); the grammar: ${grammar}` : `name ${grammar}`,
        });
      },
    };
  },
});
