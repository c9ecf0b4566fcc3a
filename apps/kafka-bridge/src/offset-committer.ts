export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read (Kafka's meaning of a committed offset). */
  offset: string;
}

export interface OffsetCommitterOptions {
  /** Commits offsets for the group (kafkajs `consumer.commitOffsets`). */
  commit(offsets: PartitionOffset[]): Promise<void>;
  /** How often pending offsets are committed. */
  intervalMs: number;
  /** A failed commit: the offsets stay pending and are tried again on the next flush. */
  onError(error: Error): void;
}

const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Commits the consumer's progress every `intervalMs` instead of after every batch. kafkajs commits
 * after each batch, and at the rates the bridge sees a batch is about one record per partition: one
 * OffsetCommit request (and one append to `__consumer_offsets`) per event. Committing less often
 * only widens what a crash redelivers, which the event log and the workflow's de-duplication
 * absorb (ADR 0009). Only records that are done are ever committed.
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, PartitionOffset>();
  private assigned: Set<string> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly o: OffsetCommitterOptions) {}

  /** The record at `offset` and every one before it on its partition are done. */
  done(topic: string, partition: number, offset: string): void {
    const key = keyOf(topic, partition);
    // A lane of the previous generation finishing after a rebalance: the partition is someone else's now.
    if (this.assigned && !this.assigned.has(key)) return;
    this.pending.set(key, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
  }

  /** The group's new assignment (after a rebalance): progress on partitions no longer ours is dropped, the new owner redoes it. */
  assign(assignment: Record<string, number[]>): void {
    this.assigned = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => keyOf(topic, p))));
    for (const key of this.pending.keys()) if (!this.assigned.has(key)) this.pending.delete(key);
  }

  /** Commits what is pending (one request for all partitions); flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.commitPending());
    return this.flushing;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and commits what is left (call while still a member of the group). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async commitPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.entries()];
    this.pending.clear();
    try {
      await this.o.commit(offsets.map(([, o]) => o));
    } catch (e) {
      // Keep them for the next flush unless newer progress arrived meanwhile.
      for (const [key, o] of offsets) if (!this.pending.has(key) && (!this.assigned || this.assigned.has(key))) this.pending.set(key, o);
      this.o.onError(e as Error);
    }
  }
}
