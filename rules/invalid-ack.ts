import { createRule } from '../src/lint/types.js';

/** Reported by the engine while it applies acknowledgements (see src/lint/engine.ts). */
export default createRule({
  meta: {
    id: 'invalid-ack',
    level: 'block',
    category: 'governance',
    summary: 'An aibos-ack without a reason, naming an unknown rule, matching nothing, or aimed at a block-level finding.',
  },
  create: () => ({}),
});
