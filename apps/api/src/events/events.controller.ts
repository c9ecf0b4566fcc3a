import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { parseClinicalEvent } from '@tandem/domain';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ApiError } from '../common/api-error';
import { EVENTS_TOPIC, KAFKA_PRODUCER } from '../tokens';

/** `POST /api/v1/events`: the same envelope as the clinical-events topic, validated here, then produced to it. */
@Controller('api/v1/events')
@Allow(...PATIENT_WORK_ROLES)
export class EventsController {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(EVENTS_TOPIC) private readonly topic: string,
  ) {}

  @Post()
  @HttpCode(202)
  async accept(@Body() body: unknown): Promise<{ id: string; status: 'queued' }> {
    const parsed = parseClinicalEvent(body);
    if (!parsed.ok)
      throw new ApiError(
        400,
        'invalid-event',
        `the event is not valid (${parsed.reason})`,
        parsed.detail.split('; ').map((message) => ({ message })),
      );
    try {
      await this.producer.send({ topic: this.topic, messages: [{ key: parsed.event.subject, value: JSON.stringify(body) }] });
    } catch {
      throw new ApiError(503, 'unavailable', 'the event could not be queued; nothing was recorded, try again');
    }
    return { id: parsed.event.id, status: 'queued' };
  }
}
