import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { EventIntake } from './event-intake';

/**
 * `POST /api/v1/events`: the same envelope as the clinical-events topic, validated here, then
 * produced to it, naming the caller as its author. Which types each role may assert:
 * ASSERTED_BY (authorship.ts); the `source` stored is the caller's own (`tandem/api/<sub>`).
 */
@Controller('api/v1/events')
@Allow(...PATIENT_WORK_ROLES, 'integration')
export class EventsController {
  constructor(@Inject(EventIntake) private readonly intake: EventIntake) {}

  @Post()
  @HttpCode(202)
  async accept(@Body() body: unknown, @Req() req: AuthedRequest & { auditResource?: string }): Promise<{ id: string; source: string; status: 'queued' }> {
    const principal = req.principal!;
    const [event] = await this.intake.queue([body], { via: 'api', sub: principal.sub, roles: principal.roles });
    // The audit row names the event this caller brought (its identity: source and id).
    req.auditResource = `event ${event!.source} ${event!.id}`;
    return { id: event!.id, source: event!.source, status: 'queued' };
  }
}
