import type { Admin, Producer } from 'kafkajs';
import { consumerLag } from '@tandem/kafka';
import type { Cohort } from './cohort';
import { envelope } from './cohort';

export interface DriveOptions {
  producer: Producer;
  topic: string;
  cohort: Cohort;
  /** Clinical time of the window's start, ms. */
  startMs: number;
  /**
   * `backfill`: every event at once with its past clinical time, as fast as Kafka takes them.
   * `live`: each event when its time comes, the clinical clock running `timeScale` times faster than
   * the wall clock (as the system's policy durations do under TANDEM_TIME_SCALE).
   */
  mode: 'backfill' | 'live';
  timeScale: number;
  /** Called after each batch with the events produced so far. */
  progress?: (produced: number) => void;
  signal?: AbortSignal;
  batch?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Produces the cohort's events to `clinical-events`, keyed by patient (so in order per patient). */
export async function drive(o: DriveOptions): Promise<number> {
  const batch = o.batch ?? 500;
  const events = o.cohort.events;
  let produced = 0;
  // Live: the clinical instant an event stands for is when it is sent (wall start + offset / scale).
  const wallStart = Date.now();
  const timeOf = (at: number) => (o.mode === 'backfill' ? o.startMs + at : wallStart + at / o.timeScale);
  while (produced < events.length && !o.signal?.aborted) {
    // The events not yet due start where the last batch ended: each step looks at a batch at most.
    let until = o.mode === 'backfill' ? Math.min(events.length, produced + batch) : produced;
    if (o.mode === 'live') while (until < events.length && until < produced + batch && timeOf(events[until]!.at) <= Date.now()) until++;
    if (until === produced) {
      await sleep(Math.min(1_000, timeOf(events[produced]!.at) - Date.now()), o.signal);
      continue;
    }
    const slice = events.slice(produced, until);
    await o.producer.send({
      topic: o.topic,
      acks: -1,
      messages: slice.map((e) => ({ key: e.patientId, value: JSON.stringify(envelope(e, timeOf(e.at), o.mode === 'backfill')) })),
    });
    produced = until;
    o.progress?.(produced);
  }
  return produced;
}

/** Waits until the bridge's consumer group has taken every record on the topic; calls `progress` with the records left. */
export async function drained(admin: Admin, groupId: string, topic: string, progress?: (left: number) => void, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const left = (await consumerLag(admin, groupId, topic)).reduce((a, p) => a + p.lag, 0);
    progress?.(left);
    if (left === 0 || signal?.aborted) return;
    await sleep(1_000, signal);
  }
}
