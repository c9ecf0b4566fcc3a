import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { PromLinks } from '@tandem/db';
import { pathwayEndOf, recordPathwayEnd, recordStepFailure, writeCommands } from '@tandem/db';
import { classifyStepError, permanentStepError } from './step-errors';
import { vetEvents } from '@tandem/workflows/vet-events';
import type { CarryOutRequest, PathwayActivities, PathwayCarryOver, PathwayEndRequest } from '@tandem/workflows/contract';

export interface ActivityDeps {
  pool: Pool;
  /** Mints the PROM-page links of prom-requests and reminders; without it they carry none (unit tests). */
  links?: PromLinks;
  /** The workflow id of the current activity; injectable so unit tests need no Temporal context. */
  workflowId?: () => string;
  /** The run id of the current activity, likewise. */
  runId?: () => string;
}

/** Activities built from their ports: the worker passes a real pool, tests their own. */
export function createActivities(deps: ActivityDeps): PathwayActivities {
  const workflowId =
    deps.workflowId ??
    (() => {
      const id = Context.current().info.workflowExecution?.workflowId;
      if (!id) throw ApplicationFailure.nonRetryable('pathway activities run only inside a workflow', 'InvalidContext');
      return id;
    });
  const runId = deps.runId ?? (() => Context.current().info.workflowExecution?.runId ?? '');
  return {
    vetEvents,
    /** Idempotent (an upsert by patient): a retry after a lost answer writes the same row. */
    async recordPathwayEnd(request: PathwayEndRequest) {
      try {
        await recordPathwayEnd(deps.pool, {
          patientId: request.patientId,
          workflowId: workflowId(),
          runId: runId(),
          reason: request.reason,
          closedAt: request.closedAt,
          sequence: request.sequence,
          carried: request.carried,
        });
      } catch (e) {
        throw classifyStepError(e);
      }
    },
    /** A read: what the pathway ended with, if it ended. */
    async endedPathway(request: { patientId: string }) {
      return (await pathwayEndOf<PathwayCarryOver>(deps.pool, request.patientId))?.carried ?? null;
    },
    /** One statement (one transaction) per pathway step: tasks, notifications (outbox) and facts land together or not at all. */
    async carryOut(request: CarryOutRequest) {
      const wf = workflowId();
      const { patientId, sourceEventId, sourceEventSource, stage, stepKey, at } = request;
      try {
        const taskIds = await writeCommands(deps.pool, { workflowId: wf, patientId, sourceEventId, sourceEventSource, stage, stepKey, ...(at ? { at } : {}) }, request.commands, deps.links);
        return { opened: Object.keys(taskIds).length };
      } catch (e) {
        const permanent = permanentStepError(e);
        // Counted for operations (tandem_pathway_step_failures on /metrics); best effort: the failure is reported either way.
        if (permanent)
          await recordStepFailure(deps.pool, { workflowId: wf, stepKey, type: permanent.type, sqlstate: permanent.sqlstate }).catch(() => undefined);
        throw classifyStepError(e);
      }
    },
  };
}
