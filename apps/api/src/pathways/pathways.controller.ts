import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import { patientTimeline, promResponses } from '@tandem/db';
import { patientIdSchema } from '@tandem/domain';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ApiError } from '../common/api-error';
import { ZodPipe } from '../common/zod-pipe';
import { PG_POOL, POLICY, TEMPORAL_CLIENT } from '../tokens';
import type { ResolvedPolicy } from '@tandem/domain';
import type { PathwayResponse, SymptomsResponse } from './pathways.schemas';

/** A patient's pathway: the workflow's own state (the single writer) plus the stored timeline. */
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
      referral: { status: state.referral.status, ...(state.referral.declinedAt ? { declinedAt: state.referral.declinedAt } : {}) },
      acp: {
        status: state.acp.status,
        ...(state.acp.documentedAt ? { documentedAt: state.acp.documentedAt } : {}),
        ...(state.acp.preferredPlaceOfDeath ? { preferredPlaceOfDeath: state.acp.preferredPlaceOfDeath } : {}),
        ...(state.acp.codeStatus ? { codeStatus: state.acp.codeStatus } : {}),
      },
      consent: state.consent,
      caregivers: state.caregivers,
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
