/**
 * Tracks which records of a partition batch are done when they finish out of order (patients are
 * handled concurrently) and says how far the offset may be committed: up to the last record of the
 * unbroken run of done records from the start. A record still in flight holds back every later one.
 */
export class OffsetWatermark {
  private readonly done = new Set<string>();
  private next = 0;

  constructor(private readonly offsets: readonly string[]) {}

  /** Marks a record done; returns the new committable offset when it moved, otherwise undefined. */
  complete(offset: string): string | undefined {
    this.done.add(offset);
    const before = this.next;
    while (this.next < this.offsets.length && this.done.has(this.offsets[this.next]!)) this.next++;
    return this.next > before ? this.offsets[this.next - 1] : undefined;
  }

  /** The last committable offset so far, if any. */
  get committable(): string | undefined {
    return this.next > 0 ? this.offsets[this.next - 1] : undefined;
  }

  get allDone(): boolean {
    return this.next === this.offsets.length;
  }
}
