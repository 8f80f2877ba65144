import { createRule } from '../src/lint/types.js';

/** Reported by the engine itself: a file the parser rejects gets this one finding and nothing else. */
export default createRule({
  meta: {
    id: 'syntax-error',
    level: 'block',
    category: 'syntax',
    summary: 'A file the Postgres parser rejects, at the parser\'s position.',
  },
  create: () => ({}),
});
