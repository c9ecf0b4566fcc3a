import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { EventIntake } from './event-intake';

/** `POST /api/v1/events`: the same envelope as the clinical-events topic, validated here, then produced to it. */
@Controller('api/v1/events')
@Allow(...PATIENT_WORK_ROLES)
export class EventsController {
  constructor(@Inject(EventIntake) private readonly intake: EventIntake) {}

  @Post()
  @HttpCode(202)
  async accept(@Body() body: unknown): Promise<{ id: string; status: 'queued' }> {
    const [event] = await this.intake.queue([body]);
    return { id: event!.id, status: 'queued' };
  }
}
