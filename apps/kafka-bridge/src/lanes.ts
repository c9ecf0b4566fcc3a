import type { ClinicalEvent } from '@tandem/domain';
import type { Classified } from './classify';
import { classifyRecord } from './classify';

export interface LaneRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Kafka record timestamp (ms since the epoch, as a string). */
  timestamp: string;
  verdict: Classified;
}

export type ValidRecord = LaneRecord & { verdict: { ok: true; event: ClinicalEvent } };

/**
 * Splits a partition batch into lanes that may run concurrently: one lane per patient (by the
 * event's subject, so even an unkeyed event keeps its patient's order), records in offset order
 * within it. A record that is not a valid event is its own lane: it only needs parking.
 */
export function planLanes(messages: ReadonlyArray<{ offset: string; key: Buffer | null; value: Buffer | null; timestamp: string }>): LaneRecord[][] {
  const lanes = new Map<string, LaneRecord[]>();
  for (const m of messages) {
    const verdict = classifyRecord(m.key, m.value);
    const record = { offset: m.offset, key: m.key, value: m.value, timestamp: m.timestamp, verdict };
    const lane = verdict.ok ? `patient:${verdict.event.subject}` : `parked:${m.offset}`;
    const list = lanes.get(lane);
    if (list) list.push(record);
    else lanes.set(lane, [record]);
  }
  return [...lanes.values()];
}
