import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { openTask as insertTask } from '@tandem/db';
import { isTaskType, TASK_TYPES } from '@tandem/domain';
import type { OpenTaskCommand, PathwayActivities } from '@tandem/workflows/contract';

export interface ActivityDeps {
  pool: Pool;
  /** The workflow id of the current activity; injectable so unit tests need no Temporal context. */
  workflowId?: () => string;
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
  return {
    async openTask(command: OpenTaskCommand) {
      if (!isTaskType(command.type)) throw ApplicationFailure.nonRetryable(`unknown task type ${String(command.type)}`, 'InvalidCommand');
      const wf = workflowId();
      // Idempotent: the key is workflow id + command id, backed by a UNIQUE constraint.
      const { task } = await insertTask(deps.pool, {
        idempotencyKey: `${wf}/${command.commandId}`,
        patientId: command.patientId,
        workflowId: wf,
        commandId: command.commandId,
        type: command.type,
        queue: TASK_TYPES[command.type],
        priority: command.priority,
        dueAt: command.dueAt,
        reason: command.reason,
      });
      return { taskId: task.id };
    },
  };
}
