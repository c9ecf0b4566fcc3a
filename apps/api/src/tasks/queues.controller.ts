import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import type { QueueCounts } from './tasks.service';
import { TasksService } from './tasks.service';

/** The caller's queues with their counts: open, claimed, overdue and urgent tasks (the console's queue picker). */
@Controller('api/v1/queues')
@Allow(...PATIENT_WORK_ROLES)
export class QueuesController {
  constructor(@Inject(TasksService) private readonly tasks: TasksService) {}

  @Get()
  async counts(@Req() req: AuthedRequest): Promise<{ items: QueueCounts }> {
    return { items: await this.tasks.queueCounts(req.principal!) };
  }
}
