import type { EachBatchPayload } from 'kafkajs';
import pLimit from 'p-limit';
import type { Logger } from '@tandem/config';
import type { ClinicalEvent, Provenance } from '@tandem/domain';
import { clinicalTimeRefusal, decodeAuthor } from '@tandem/domain';
import type { ParkedRecord } from '@tandem/kafka';
import type { LaneRecord, ValidRecord } from './lanes';
import { planLanes } from './lanes';
import type { BridgeMetrics } from './metrics';
import { parkReasonOf } from './pathway-closed';
import { OffsetWatermark } from './offset-watermark';
import { backoffMs, isTransient } from './retry';

/** What a batch needs from the world: the event log, Temporal and the DLQ (fakes in unit tests). */
export interface BatchHandlerOptions {
  /** Stores events in the event log, each once (a redelivery is a no-op). */
  store(rows: ReadonlyArray<{ event: ClinicalEvent; producedAt: Date; provenance: Provenance }>): Promise<void>;
  /** The birth dates the event log holds for these patients (a clinical time before one is parked); absent, not checked. */
  birthDates?(patientIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Which of these stored events conflict with the log: their identity (source, id) is there with
   * other content (events.ts conflictingEvents). Absent (unit tests' fakes): none does.
   */
  conflicting?(events: readonly ClinicalEvent[]): Promise<boolean[]>;
  /** Hands an event to its patient's pathway (signalWithStart). */
  signal(event: ClinicalEvent): Promise<void>;
  /** Parks a record on the DLQ with its reason. */
  park(record: ParkedRecord): Promise<void>;
  /** Told each time a partition's done records advance (the offset committer); kafkajs is told too. */
  progress?(topic: string, partition: number, offset: string): void;
  /** True once the bridge is stopping: nothing more is started, nothing after it committed. */
  stopping(): boolean;
  metrics: BridgeMetrics;
  log: Logger;
  /** Patients handled at the same time across all partitions; one patient's events always one at a time. */
  concurrency?: number;
  /** Attempts for a permanent refusal (the request's fault) before the record is parked; transient errors are retried until they pass. */
  maxAttempts?: number;
}

type Outcome = 'done' | 'aborted';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One partition batch of clinical-events at a time, split into one lane per patient: lanes run
 * concurrently (bounded by one limit across all partitions), records within a lane strictly in
 * order. The batch's valid events are stored in the event log (one statement), then each is
 * signalled to its patient's pathway; an offset is resolved only once it and every record before
 * it are done, so a crash redelivers (and the event log and the workflow's de-duplication make that
 * harmless). Invalid records are parked with their reason and never hold up the partition.
 */
export function createBatchHandler(o: BatchHandlerOptions): (p: EachBatchPayload) => Promise<void> {
  const maxAttempts = o.maxAttempts ?? 5;
  const { metrics } = o;
  const limit = pLimit(o.concurrency ?? 32);

  /** Who brought a record: where it was read, and the author the API named in its header (a claim; provenance.ts). */
  const provenanceOf = (r: LaneRecord, where: { topic: string; partition: number }): Provenance => {
    const author = decodeAuthor(r.author);
    return { ...(author ? { author } : {}), kafka: { ...where, offset: r.offset } };
  };

  /**
   * Refuses, in each patient's order, a clinical time before the birth date the event log holds
   * (or a registration earlier in the batch gives): such a record is parked like an invalid one.
   */
  const screenBirths = async (lanes: LaneRecord[][]): Promise<void> => {
    if (!o.birthDates) return;
    const valid = lanes.flat().filter((r): r is ValidRecord => r.verdict.ok);
    if (valid.length === 0) return;
    const born = await o.birthDates([...new Set(valid.map((r) => r.verdict.event.subject))]);
    const now = Date.now();
    for (const r of lanes.flat()) {
      if (!r.verdict.ok) continue;
      const e = r.verdict.event;
      const refusal = clinicalTimeRefusal(e, now, born.get(e.subject));
      if (refusal) r.verdict = { ok: false, error: refusal.reason, detail: refusal.detail };
      else if (e.type === 'patient.registered') born.set(e.subject, e.data.birthDate);
    }
  };

  const park = async (r: LaneRecord, where: { topic: string; partition: number }, error: string, detail: string) => {
    await o.park({ key: r.key, value: r.value, ...where, offset: r.offset, error, detail });
    metrics.parked.inc({ reason: error });
    o.log.warn('record parked', { ...where, offset: r.offset, error });
  };

  /**
   * Runs `work` until it succeeds. Transient errors are waited out with backoff (heart-beating the
   * group), for as long as it takes; a permanent one is retried up to maxAttempts, then reported.
   * 'aborted' when the partition was taken away or the bridge stops: nothing after it is committed.
   */
  const persist = async (
    work: () => Promise<void>,
    where: { topic: string; partition: number; offset: string },
    p: EachBatchPayload,
    alive: () => boolean,
  ): Promise<Outcome | { permanent: Error; attempts: number }> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await work();
        return 'done';
      } catch (e) {
        if (!alive()) return 'aborted';
        const transient = isTransient(e);
        if (!transient && attempt >= maxAttempts) return { permanent: e as Error, attempts: attempt };
        metrics.retried.inc({ kind: transient ? 'transient' : 'permanent' });
        const delayMs = backoffMs(attempt);
        // Names and codes only: an error message may quote the event.
        o.log.warn('not accepted yet; retrying', { ...where, attempt, transient, error: (e as Error).name, delayMs });
        for (let waited = 0; waited < delayMs && alive(); waited += 1_000) {
          await sleep(Math.min(1_000, delayMs - waited));
          await p.heartbeat().catch(() => undefined);
        }
        if (!alive()) return 'aborted';
      }
    }
  };

  /** One record: parked if invalid; otherwise stored (unless the batch already was) and signalled. */
  const handle = async (
    r: LaneRecord,
    where: { topic: string; partition: number },
    p: EachBatchPayload,
    alive: () => boolean,
    /** Whether it conflicts with the log, when the batch was stored and checked as a whole; undefined: store and check it here. */
    known: boolean | undefined,
  ): Promise<Outcome> => {
    if (!r.verdict.ok) {
      await park(r, where, r.verdict.error, r.verdict.detail);
      return 'done';
    }
    const event = r.verdict.event;
    let conflict = known ?? false;
    const work = async () => {
      if (known === undefined) {
        await o.store([{ event, producedAt: new Date(Number(r.timestamp)), provenance: provenanceOf(r, where) }]);
        conflict = (await o.conflicting?.([event]))?.[0] ?? false;
      }
      if (!conflict) await o.signal(event);
    };
    const outcome = await persist(work, { ...where, offset: r.offset }, p, alive);
    if (outcome === 'aborted') return outcome;
    if (outcome === 'done' && conflict) {
      // Its identity (source, id) is in the log with other content: neither dropped nor applied (issue 26, finding 2).
      await park(r, where, 'conflicting-duplicate', 'an event with this source and id, and other content (subject, type, time or data), is already recorded');
      return 'done';
    }
    if (outcome === 'done') {
      metrics.accepted.inc();
      return 'done';
    }
    await park(r, where, parkReasonOf(outcome.permanent), `not accepted after ${outcome.attempts} attempts: ${outcome.permanent.name}`);
    return 'done';
  };

  const eachBatch = async (p: EachBatchPayload): Promise<void> => {
    const { batch } = p;
    if (batch.messages.length === 0) return;
    const where = { topic: batch.topic, partition: batch.partition };
    const alive = () => !o.stopping() && p.isRunning() && !p.isStale();
    const watermark = new OffsetWatermark(batch.messages.map((m) => m.offset));
    metrics.consumed.inc(batch.messages.length);
    const lanes = planLanes(batch.messages);
    const screened = await persist(() => screenBirths(lanes), { ...where, offset: batch.firstOffset() ?? '' }, p, alive);
    if (screened === 'aborted') return;
    if (screened !== 'done') throw screened.permanent;
    // The event log first, for the whole batch in one statement; should that fail for good (one
    // event's data), each event is stored on its own below so the others are not held up.
    const valid = lanes.flat().filter((r): r is ValidRecord => r.verdict.ok);
    const rows = valid.map((r) => ({ event: r.verdict.event, producedAt: new Date(Number(r.timestamp)), provenance: provenanceOf(r, where) }));
    let conflicts: boolean[] = [];
    const logged = await persist(
      async () => {
        await o.store(rows);
        conflicts = (await o.conflicting?.(rows.map((x) => x.event))) ?? rows.map(() => false);
      },
      { ...where, offset: batch.firstOffset() ?? '' },
      p,
      alive,
    );
    if (logged === 'aborted') return;
    const known = new Map<LaneRecord, boolean>(logged === 'done' ? valid.map((r, i) => [r, conflicts[i] ?? false]) : []);
    const results = await Promise.allSettled(
      lanes.map((lane) =>
        limit(async () => {
          for (const r of lane) {
            if (!alive() || (await handle(r, where, p, alive, known.get(r))) === 'aborted') return;
            const upTo = watermark.complete(r.offset);
            if (upTo !== undefined) {
              p.resolveOffset(upTo);
              o.progress?.(batch.topic, batch.partition, upTo);
            }
            await p.heartbeat();
          }
        }),
      ),
    );
    // What is done is committed by the offset committer even if a lane failed; kafkajs then
    // redelivers from the first record not done.
    const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed) throw failed.reason;
  };

  return eachBatch;
}
