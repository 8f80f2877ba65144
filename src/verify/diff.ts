/**
 * Compares the catalog before an up with the catalog after its down: what
 * the down leaves behind, removes too much, or changes.
 */
import type { CatalogObject, ObjectKind, Snapshot } from './snapshot.js';

export type ChangeKind = 'leaves' | 'removes' | 'changes';

export interface Difference {
  change: ChangeKind;
  kind: ObjectKind;
  object: string;
  /** For `changes`: what differs, e.g. `bigint -> integer` or `default: now() -> none`. */
  detail?: string;
}

const KIND_ORDER: ObjectKind[] = ['extension', 'schema', 'type', 'sequence', 'table', 'column', 'constraint', 'index', 'policy', 'trigger', 'function', 'view'];

/** Properties whose change is the object's main story, shown without their name. */
const MAIN_PROPS = new Set(['type', 'definition']);
/** Properties stored as a hash: their values mean nothing to a reader. */
const HASHED = new Set(['function definition']);

/**
 * `expected` is the catalog before the up, `actual` the one after the down.
 * An object that is itself left or removed hides its parts (a left table does
 * not also list each of its columns).
 */
export function diffSnapshots(expected: Snapshot, actual: Snapshot): Difference[] {
  const differences: Difference[] = [];
  const left = new Set<string>();
  const removed = new Set<string>();
  for (const [key, object] of actual) if (!expected.has(key) && object.kind === 'table') left.add(object.name);
  for (const [key, object] of expected) if (!actual.has(key) && object.kind === 'table') removed.add(object.name);

  for (const [key, object] of actual) {
    if (expected.has(key) || (object.parent && left.has(object.parent))) continue;
    differences.push({ change: 'leaves', kind: object.kind, object: object.name });
  }
  for (const [key, object] of expected) {
    const now = actual.get(key);
    if (!now) {
      if (!(object.parent && removed.has(object.parent))) differences.push({ change: 'removes', kind: object.kind, object: object.name });
      continue;
    }
    const detail = describeChange(object, now);
    if (detail) differences.push({ change: 'changes', kind: object.kind, object: object.name, detail });
  }
  return differences.sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.object.localeCompare(b.object) || a.change.localeCompare(b.change),
  );
}

function describeChange(before: CatalogObject, after: CatalogObject): string | undefined {
  const names = [...new Set([...Object.keys(before.props), ...Object.keys(after.props)])];
  const changed = names.filter((name) => before.props[name] !== after.props[name]);
  if (!changed.length) return undefined;
  const parts = changed.map((name) => {
    if (HASHED.has(`${before.kind} ${name}`)) return `${name} differs`;
    const was = before.props[name] ?? 'none';
    const now = after.props[name] ?? 'none';
    const values = `${oneLine(was)} -> ${oneLine(now)}`;
    return changed.length === 1 && MAIN_PROPS.has(name) ? values : `${name}: ${values}`;
  });
  return parts.join('; ');
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
