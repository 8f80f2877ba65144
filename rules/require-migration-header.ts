import { createRule } from '../src/lint/types.js';

export default createRule({
  meta: {
    id: 'require-migration-header',
    level: 'warn',
    category: 'governance',
    summary: 'An up migration without `-- author:` and `-- reason:` lines before its first statement.',
  },
  create(context) {
    return {
      'file:start'() {
        const file = context.file;
        // An empty or comment-only file changes nothing: nothing to explain or roll back.
        if (file.role !== 'up' || !file.parsed.statements.length) return;
        const { author, reason } = file.parsed.header;
        const missing = [author ? '' : 'author', reason ? '' : 'reason'].filter(Boolean);
        if (!missing.length) return;
        context.report({
          message: `${file.name} has no ${missing.map((m) => `\`-- ${m}:\``).join(' or ')} line in its header`,
          help: 'start the file with `-- author: <who>` and `-- reason: <why this change>` (before the first statement); reviewers and auditors read them',
        });
      },
    };
  },
});
