/** The pathway's de-duplication window: the most recent events — enough to absorb redelivery bursts and consumer-group resets, small enough to carry over. */
export const DEDUPE_CAPACITY = 2_000;
/**
 * …and at most this many characters of keys: 2,000 maximal (source, id) pairs (256 + 128 characters,
 * libs/domain envelope.ts) would weigh about 800 KB on every continue-as-new; typical keys (under 100
 * characters) never reach it, so the window stays the 2,000 most recent events.
 */
export const DEDUPE_MAX_CHARS = 192 * 1024;
/**
 * An event's key in the window: its identity (source, id), as CloudEvents defines it (issue 26,
 * finding 2). The source's length comes first, so no pair can pass for another.
 */
export const eventKey = (e: { source: string; id: string }): string => `${e.source.length}:${e.source}${e.id}`;

/**
 * A set that remembers the most recent `capacity` ids, and at most `maxChars` characters of them:
 * de-duplication with a bounded history size, whatever the ids' lengths (an id and a source are
 * bounded by the event schema, but 2,000 maximal ones would still weigh on every continue-as-new).
 */
export class BoundedIdSet {
  private readonly order: string[];
  private readonly ids: Set<string>;
  private chars = 0;

  constructor(
    initial: readonly string[],
    private readonly capacity: number,
    private readonly maxChars: number = Number.POSITIVE_INFINITY,
  ) {
    this.order = [];
    this.ids = new Set();
    for (const id of initial.slice(-capacity)) this.add(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    this.order.push(id);
    this.chars += id.length;
    while (this.order.length > this.capacity || (this.chars > this.maxChars && this.order.length > 1)) {
      const oldest = this.order.shift()!;
      this.ids.delete(oldest);
      this.chars -= oldest.length;
    }
  }

  /** Forgets the oldest id (the legacy window of plain ids gives way as the new window fills). */
  evictOldest(): void {
    const oldest = this.order.shift();
    if (oldest === undefined) return;
    this.ids.delete(oldest);
    this.chars -= oldest.length;
  }

  /** Forgets an id (an event parked for replay must be taken when it comes back). */
  delete(id: string): void {
    if (!this.ids.delete(id)) return;
    this.order.splice(this.order.indexOf(id), 1);
    this.chars -= id.length;
  }

  toArray(): string[] {
    return [...this.order];
  }

  get size(): number {
    return this.order.length;
  }
}
