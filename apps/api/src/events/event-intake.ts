import { Inject, Injectable } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { ClinicalEvent } from '@tandem/domain';
import { parseClinicalEvent } from '@tandem/domain';
import { ApiError } from '../common/api-error';
import { EVENTS_TOPIC, KAFKA_PRODUCER } from '../tokens';

/**
 * The one way an event enters over HTTP (`POST /api/v1/events`, the patient's PROM page): validated
 * here exactly as the kafka-bridge validates the topic, then produced to clinical-events keyed by
 * patient, in order. 400 with the reasons when invalid; 503 when Kafka did not take it (nothing queued).
 */
@Injectable()
export class EventIntake {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(EVENTS_TOPIC) private readonly topic: string,
  ) {}

  async queue(bodies: readonly unknown[]): Promise<ClinicalEvent[]> {
    const events = bodies.map((body) => {
      const parsed = parseClinicalEvent(body);
      if (!parsed.ok)
        throw new ApiError(
          400,
          'invalid-event',
          `the event is not valid (${parsed.reason})`,
          parsed.detail.split('; ').map((message) => ({ message })),
        );
      return parsed.event;
    });
    try {
      // One send, so a patient's events are queued together or not at all (one batch to one partition).
      await this.producer.send({ topic: this.topic, messages: events.map((e, i) => ({ key: e.subject, value: JSON.stringify(bodies[i]) })) });
    } catch {
      throw new ApiError(503, 'unavailable', 'the event could not be queued; nothing was recorded, try again');
    }
    return events;
  }
}
