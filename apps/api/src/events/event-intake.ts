import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { ClinicalEvent, EventAuthor } from '@tandem/domain';
import { AUTHOR_HEADER, clinicalTimeRefusal, encodeAuthor, parseClinicalEvent } from '@tandem/domain';
import { birthDates } from '@tandem/db';
import { ApiError } from '../common/api-error';
import { EVENTS_TOPIC, KAFKA_PRODUCER, PG_POOL } from '../tokens';
import { mayAssert, mayLoadHistory } from './authorship';

/**
 * The `source` of an event posted by a principal: theirs alone, whatever the caller wrote (so a
 * caller neither hides behind nor collides with an integration's source). A sub too long or too
 * odd for a URI path is named by its SHA-256 instead.
 */
export function apiSource(sub: string): string {
  return /^[A-Za-z0-9._@:-]{1,128}$/.test(sub) ? `tandem/api/${sub}` : `tandem/api/sha256-${createHash('sha256').update(sub).digest('hex')}`;
}

/**
 * The one way an event enters over HTTP (`POST /api/v1/events`, the patient's PROM page): validated
 * here exactly as the kafka-bridge validates the topic; refused when the author's roles may not
 * assert its type (403, ASSERTED_BY) or its clinical time cannot be true (400: in the future beyond
 * the skew, or before the birth date the event log holds); then produced to clinical-events keyed by
 * patient, in order, naming its author in the `tandem-author` header. 503 when Kafka did not take
 * it or the birth date could not be read (nothing queued).
 */
@Injectable()
export class EventIntake {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(EVENTS_TOPIC) private readonly topic: string,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async queue(bodies: readonly unknown[], author: EventAuthor): Promise<ClinicalEvent[]> {
    const events = bodies.map((body) => {
      const parsed = parseClinicalEvent(body);
      if (!parsed.ok)
        throw new ApiError(
          400,
          'invalid-event',
          `the event is not valid (${parsed.reason})`,
          parsed.detail.split('; ').map((message) => ({ message })),
        );
      const event = parsed.event;
      if (author.via === 'api') {
        if (!mayAssert(author.roles, event.type))
          throw new ApiError(403, 'forbidden', `your roles may not assert events of type ${event.type} (docs/security.md)`);
        if (event.history === true && !mayLoadHistory(author.roles))
          throw new ApiError(403, 'forbidden', 'only an integration or an administrator may load a history (history: true; docs/security.md)');
        return { ...event, source: apiSource(author.sub) };
      }
      if (event.type !== 'prom.submitted') throw new ApiError(403, 'forbidden', `a PROM link may not assert events of type ${event.type}`);
      return event;
    });
    const now = Date.now();
    let born: Map<string, string>;
    try {
      born = await birthDates(
        this.pool,
        events.map((e) => e.subject),
      );
    } catch {
      throw new ApiError(503, 'unavailable', 'the event could not be checked; nothing was recorded, try again');
    }
    for (const e of events) {
      const refusal = clinicalTimeRefusal(e, now, born.get(e.subject));
      if (refusal)
        throw new ApiError(400, refusal.reason, `the event is not valid (${refusal.reason}): ${refusal.detail}`, [{ message: `time: ${refusal.detail}` }]);
    }
    const headers = { [AUTHOR_HEADER]: encodeAuthor(author) };
    try {
      // One send, so a patient's events are queued together or not at all (one batch to one partition).
      await this.producer.send({ topic: this.topic, messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e), headers })) });
    } catch {
      throw new ApiError(503, 'unavailable', 'the event could not be queued; nothing was recorded, try again');
    }
    return events;
  }
}
