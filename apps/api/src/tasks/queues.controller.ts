import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { Pool } from 'pg';
import { taskCounts } from '@tandem/db';
import type { AuthedRequest } from '../auth/auth.guard';
import { Allow } from '../auth/auth.guard';
import { queuesOf } from '../auth/queue-access';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { PG_POOL } from '../tokens';
import type { z } from 'zod';
import type { queueCountsSchema } from './tasks.schemas';

/** The caller's queues with their counts: open, claimed, overdue and urgent tasks (the console's queue picker). */
@Controller('api/v1/queues')
@Allow(...PATIENT_WORK_ROLES)
export class QueuesController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  async counts(@Req() req: AuthedRequest): Promise<z.infer<typeof queueCountsSchema>> {
    return { items: (await taskCounts(this.pool, queuesOf(req.principal!))) as z.infer<typeof queueCountsSchema>['items'] };
  }
}
