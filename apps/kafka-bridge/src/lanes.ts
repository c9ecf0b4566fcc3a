import type { IHeaders } from 'kafkajs';
import type { ClinicalEvent } from '@tandem/domain';
import { AUTHOR_HEADER } from '@tandem/domain';
import type { Classified } from './classify';
import { classifyRecord } from './classify';

export interface LaneRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Kafka record timestamp (ms since the epoch, as a string). */
  timestamp: string;
  /** The record's `tandem-author` header (the author the API named), if any: a claim (libs/domain/src/events/provenance.ts). */
  author?: string;
  verdict: Classified;
}

export type ValidRecord = LaneRecord & { verdict: { ok: true; event: ClinicalEvent } };

/**
 * Splits a partition batch into lanes that may run concurrently: one lane per patient (by the
 * event's subject, so even an unkeyed event keeps its patient's order), records in offset order
 * within it. A record that is not a valid event is its own lane: it only needs parking.
 */
export function planLanes(
  messages: ReadonlyArray<{ offset: string; key: Buffer | null; value: Buffer | null; timestamp: string; headers?: IHeaders }>,
): LaneRecord[][] {
  const lanes = new Map<string, LaneRecord[]>();
  for (const m of messages) {
    const verdict = classifyRecord(m.key, m.value);
    const header = m.headers?.[AUTHOR_HEADER];
    const author = Array.isArray(header) || header === undefined ? undefined : typeof header === 'string' ? header : header.toString('utf8');
    const record = { offset: m.offset, key: m.key, value: m.value, timestamp: m.timestamp, ...(author !== undefined ? { author } : {}), verdict };
    const lane = verdict.ok ? `patient:${verdict.event.subject}` : `parked:${m.offset}`;
    const list = lanes.get(lane);
    if (list) list.push(record);
    else lanes.set(lane, [record]);
  }
  return [...lanes.values()];
}
