import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import { pathwayEndOf, patientTimeline, promResponses, taskIdsByCommand } from '@tandem/db';
import type { ResolvedPolicy } from '@tandem/domain';
import { historyLoadedSignal, pathwayQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { PathwayCarryOver, PathwayProjection } from '@tandem/workflows/contract';
import { projectPathway } from '@tandem/workflows/projection';
import { DomainError } from '../common/domain-error';
import { PG_POOL, POLICY, TEMPORAL_CLIENT } from '../tokens';
import type { PathwayResponse, SymptomsResponse } from './pathways.schemas';

/** A pathway that ended, as its workflow would project it: the state and window it ended with (and remembered since). */
function projectEnded(carried: PathwayCarryOver): PathwayProjection {
  const { state, seenEvents, seenEventIds, problems } = carried;
  return projectPathway(state, { eventsSeen: (seenEvents?.length ?? 0) + seenEventIds.length, problems: problems ?? [] });
}

/** How long a pathway query may wait for a worker to answer it. */
const QUERY_DEADLINE_MS = 5_000;

/** A patient's pathway: the workflow's projection of its state (the single writer), task ids and the timeline from PostgreSQL. */
@Injectable()
export class PathwaysService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(POLICY) private readonly policy: ResolvedPolicy,
  ) {}

  /**
   * Tells a pathway that the history loaded for it is all in (catch-up.ts). A pathway that has
   * ended has nothing left to fire; one that never started is a 404.
   */
  async historyLoaded(patientId: string): Promise<{ status: 'told' | 'ended' }> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(pathwayWorkflowId(patientId)).signal(historyLoadedSignal),
      );
      return { status: 'told' };
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw new DomainError('unavailable', 'the pathway could not be told; try again');
      if (await pathwayEndOf(this.pool, patientId)) return { status: 'ended' };
      throw new DomainError('not-found', 'no pathway for this patient');
    }
  }

  async pathway(patientId: string): Promise<PathwayResponse> {
    const workflowId = pathwayWorkflowId(patientId);
    const ended = await pathwayEndOf<PathwayCarryOver>(this.pool, patientId);
    let view: PathwayProjection;
    try {
      // A bounded wait: a pathway no worker answers for (all down, or backed up) is a quick 503, not a hung request.
      view = await this.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, async () => {
        const handle = this.temporal.workflow.getHandle(workflowId);
        // A pathway that ended (ADR 0017) is read from what PostgreSQL keeps of it, which also holds
        // what it remembered of later events — unless a later event started it again.
        if (ended) {
          const latest = await handle.describe();
          if (latest.runId === ended.runId && latest.status.name === 'COMPLETED') return projectEnded(ended.carried);
        }
        return handle.query(pathwayQuery);
      });
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw new DomainError('unavailable', 'the pathway could not be read; try again');
      // Temporal no longer holds the history (past the namespace's retention).
      if (!ended) throw new DomainError('not-found', 'no pathway for this patient');
      view = projectEnded(ended.carried);
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
  async symptoms(patientId: string): Promise<SymptomsResponse> {
    const p = this.policy.policy.proms;
    return {
      patientId,
      bands: { moderateAtLeast: p.moderateAtLeast, severeAtLeast: p.severeAtLeast, distressAtLeast: p.distressAtLeast },
      responses: await promResponses(this.pool, patientId),
    };
  }
}
