/**
 * `AIBOS_TIMING=1 aibos lint …`: where the time of a lint went, on stderr after the report —
 * the phases of the run and the ten slowest rules (visitors and hooks, findings included), as
 * ESLint's `TIMING=1` does. Off by default: wrapping every visitor costs time of its own.
 */
export interface Timing {
  /** Records the time since the previous mark (or the start) under `phase`. */
  mark(phase: string): void;
  /** Adds `ms` to a named share of a phase (shown under the phases). */
  add(share: string, ms: number): void;
  /** A line to print with the timings, worked out when they are printed. */
  note(line: () => string): void;
  /** Wraps a rule's visitor so its time counts towards the rule. */
  wrap<F extends (...args: never[]) => unknown>(ruleId: string, fn: F): F;
  print(write: (text: string) => void): void;
}

export function createTiming(): Timing {
  const phases: [string, number][] = [];
  const rules = new Map<string, number>();
  const shares = new Map<string, number>();
  const notes: (() => string)[] = [];
  const start = performance.now();
  let last = start;
  return {
    mark(phase) {
      const now = performance.now();
      phases.push([`${phase}  (heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB)`, now - last]);
      last = now;
    },
    note(line) {
      notes.push(line);
    },
    add(share, t) {
      shares.set(share, (shares.get(share) ?? 0) + t);
    },
    wrap(ruleId, fn) {
      return ((...args: never[]) => {
        const t = performance.now();
        try {
          return fn(...args);
        } finally {
          rules.set(ruleId, (rules.get(ruleId) ?? 0) + performance.now() - t);
        }
      }) as typeof fn;
    },
    print(write) {
      const ms = (n: number) => `${n.toFixed(1).padStart(9)} ms`;
      const lines = ['', 'aibos timing (AIBOS_TIMING=1)', ...phases.map(([name, t]) => `${ms(t)}  ${name}`), `${ms(last - start)}  total since the lint began`, `${ms(performance.now())}  since the process started`];
      if (shares.size) lines.push('', 'inside the lint', ...[...shares].map(([name, t]) => `${ms(t)}  ${name}`));
      let all = 0;
      for (const t of rules.values()) all += t;
      if (rules.size) lines.push(`${ms(all)}  all ${rules.size} rules (visitors and hooks, findings included)`);
      if (notes.length) lines.push('', ...notes.map((line) => line()));
      const slowest = [...rules].sort((a, b) => b[1] - a[1]).slice(0, 10);
      if (slowest.length) lines.push('', 'slowest rules', ...slowest.map(([id, t]) => `${ms(t)}  ${id}`));
      write(`${lines.join('\n')}\n`);
    },
  };
}

/** The timing of this process, when AIBOS_TIMING asks for it. */
export const timing: Timing | undefined = process.env.AIBOS_TIMING && process.env.AIBOS_TIMING !== '0' ? createTiming() : undefined;

