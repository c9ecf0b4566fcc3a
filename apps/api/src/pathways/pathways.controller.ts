import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import { patientTimeline } from '@tandem/db';
import { patientIdSchema } from '@tandem/domain';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod-pipe';
import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import type { PathwayResponse } from './pathways.schemas';

/** A patient's pathway: the workflow's own state (the single writer) plus the stored timeline. */
@Controller('api/v1/patients')
@Allow(...PATIENT_WORK_ROLES)
export class PathwaysController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @Get(':patientId/pathway')
  async pathway(@Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string): Promise<PathwayResponse> {
    let view;
    try {
      view = await this.temporal.workflow.getHandle(pathwayWorkflowId(patientId)).query(pathwayStateQuery);
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new ApiError(404, 'not-found', 'no pathway for this patient');
      throw new ApiError(503, 'unavailable', 'the pathway could not be read; try again');
    }
    const { state } = view;
    return {
      patientId,
      stage: state.stage,
      level: state.level,
      flags: state.flags,
      ...(state.closure ? { closure: { reason: state.closure.reason, at: state.closure.at } } : {}),
      openTasks: Object.values(state.tasks)
        .filter((t) => t.status === 'open')
        .map((t) => ({
          type: t.type,
          queue: t.queue,
          priority: t.priority,
          dueAt: t.dueAt,
          ...(view.taskIds[t.commandId] ? { taskId: view.taskIds[t.commandId] } : {}),
          reason: t.reason,
        })),
      nextTimers: view.nextTimers.map(({ fireAt, kind }) => ({ fireAt, kind })),
      problems: view.problems ?? [],
      timeline: await patientTimeline(this.pool, patientId),
    };
  }
}
