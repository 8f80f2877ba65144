/**
 * A Map that reads through to a base map and keeps its own changes on top.
 * Forking the catalog for every down file used to copy every table and index
 * map (quadratic over a long history: a third of the corpus lint); an overlay
 * costs nothing until the fork changes something. The base must not change
 * while the overlay is in use (a fork lives only while its down file is linted).
 * Iteration order matches a copied Map: base order with local values in place,
 * then keys added locally.
 */
export class OverlayMap<K, V> extends Map<K, V> {
  private readonly base: ReadonlyMap<K, V>;
  /** Base keys deleted in the overlay. */
  private readonly removed = new Set<K>();

  constructor(base: ReadonlyMap<K, V>) {
    super();
    this.base = base;
  }

  override get(key: K): V | undefined {
    if (super.has(key)) return super.get(key);
    return this.removed.has(key) ? undefined : this.base.get(key);
  }

  override has(key: K): boolean {
    return super.has(key) || (!this.removed.has(key) && this.base.has(key));
  }

  override set(key: K, value: V): this {
    this.removed.delete(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    const present = this.has(key);
    super.delete(key);
    if (this.base.has(key)) this.removed.add(key);
    return present;
  }

  override clear(): void {
    super.clear();
    for (const key of this.base.keys()) this.removed.add(key);
  }

  override get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }

  override entries(): IterableIterator<[K, V]> {
    // Untouched so far (the common case while a down file is linted): the base's own iterator.
    if (super.size === 0 && this.removed.size === 0) return this.base.entries();
    return this.merged();
  }

  private *merged(): IterableIterator<[K, V]> {
    for (const [key, value] of this.base) {
      if (this.removed.has(key)) continue;
      yield [key, super.has(key) ? (super.get(key) as V) : value];
    }
    for (const [key, value] of super.entries()) if (!this.base.has(key)) yield [key, value];
  }

  override *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  override values(): IterableIterator<V> {
    if (super.size === 0 && this.removed.size === 0) return this.base.values();
    return this.mergedValues();
  }

  private *mergedValues(): IterableIterator<V> {
    for (const [, value] of this.merged()) yield value;
  }

  override [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }
}

/**
 * A Set that reads through to a base set and keeps its own additions and removals on top: a
 * catalog fork (one per down file) no longer copies every schema, view, sequence and function name.
 * The base must not change while the overlay is in use.
 */
export class OverlaySet<T> extends Set<T> {
  private readonly base: ReadonlySet<T>;
  private readonly removed = new Set<T>();

  constructor(base: ReadonlySet<T>) {
    super();
    this.base = base;
  }

  override has(value: T): boolean {
    return super.has(value) || (!this.removed.has(value) && this.base.has(value));
  }

  override add(value: T): this {
    this.removed.delete(value);
    return super.add(value);
  }

  override delete(value: T): boolean {
    const present = this.has(value);
    super.delete(value);
    if (this.base.has(value)) this.removed.add(value);
    return present;
  }

  override clear(): void {
    super.clear();
    for (const value of this.base) this.removed.add(value);
  }

  override get size(): number {
    let n = 0;
    for (const _ of this.values()) n++;
    return n;
  }

  override *values(): IterableIterator<T> {
    for (const value of this.base) if (!this.removed.has(value)) yield value;
    for (const value of super.values()) if (!this.base.has(value)) yield value;
  }

  override keys(): IterableIterator<T> {
    return this.values();
  }

  override *entries(): IterableIterator<[T, T]> {
    for (const value of this.values()) yield [value, value];
  }

  override [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }

  override forEach(fn: (value: T, key: T, set: Set<T>) => void, thisArg?: unknown): void {
    for (const value of this.values()) fn.call(thisArg, value, value, this);
  }
}
