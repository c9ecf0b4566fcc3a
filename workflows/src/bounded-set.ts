/** A set that remembers the most recent `capacity` ids: de-duplication with bounded history size. */
export class BoundedIdSet {
  private readonly order: string[];
  private readonly ids: Set<string>;

  constructor(
    initial: readonly string[],
    private readonly capacity: number,
  ) {
    this.order = initial.slice(-capacity);
    this.ids = new Set(this.order);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    this.order.push(id);
    if (this.order.length > this.capacity) this.ids.delete(this.order.shift()!);
  }

  /** Forgets an id (an event parked for replay must be taken when it comes back). */
  delete(id: string): void {
    if (!this.ids.delete(id)) return;
    this.order.splice(this.order.indexOf(id), 1);
  }

  toArray(): string[] {
    return [...this.order];
  }

  get size(): number {
    return this.order.length;
  }
}
