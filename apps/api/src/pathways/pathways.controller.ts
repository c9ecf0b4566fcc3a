import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import { patientTimeline, promResponses, taskIdsByCommand } from '@tandem/db';
import { patientIdSchema } from '@tandem/domain';
import { pathwayQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod-pipe';
import { PG_POOL, POLICY, TEMPORAL_CLIENT } from '../tokens';
import type { ResolvedPolicy } from '@tandem/domain';
import type { PathwayResponse, SymptomsResponse } from './pathways.schemas';

/** How long a pathway query may wait for a worker to answer it. */
const QUERY_DEADLINE_MS = 5_000;

/** A patient's pathway: the workflow's projection of its state (the single writer), task ids and the timeline from PostgreSQL. */
@Controller('api/v1/patients')
@Allow(...PATIENT_WORK_ROLES)
export class PathwaysController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(POLICY) private readonly policy: ResolvedPolicy,
  ) {}

  @Get(':patientId/pathway')
  async pathway(@Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string): Promise<PathwayResponse> {
    const workflowId = pathwayWorkflowId(patientId);
    let view;
    try {
      // A bounded wait: a pathway no worker answers for (all down, or backed up) is a quick 503, not a hung request.
      view = await this.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(workflowId).query(pathwayQuery),
      );
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new ApiError(404, 'not-found', 'no pathway for this patient');
      throw new ApiError(503, 'unavailable', 'the pathway could not be read; try again');
    }
    const { eventsSeen: _eventsSeen, openTasks, nextTimers, ...pathway } = view;
    const taskIds = await taskIdsByCommand(
      this.pool,
      workflowId,
      openTasks.map((t) => t.commandId),
    );
    return {
      ...pathway,
      openTasks: openTasks.map(({ commandId, ...t }) => ({ ...t, ...(taskIds[commandId] ? { taskId: taskIds[commandId] } : {}) })),
      nextTimers: nextTimers.map(({ fireAt, kind }) => ({ fireAt, kind })),
      timeline: await patientTimeline(this.pool, patientId),
    };
  }

  /** Every PROM response over time (the symptom trajectories), with the policy's severity bands. */
  @Get(':patientId/symptoms')
  async symptoms(@Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string): Promise<SymptomsResponse> {
    const p = this.policy.policy.proms;
    return {
      patientId,
      bands: { moderateAtLeast: p.moderateAtLeast, severeAtLeast: p.severeAtLeast, distressAtLeast: p.distressAtLeast },
      responses: await promResponses(this.pool, patientId),
    };
  }
}
