import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { TaskRecord } from '@tandem/db';
import { completeTask, getTask, InvalidCursorError, listTasks } from '@tandem/db';
import type { Task } from '@tandem/domain';
import { allowedOutcomes } from '@tandem/domain';
import { taskCompletedSignal } from '@tandem/workflows/contract';
import { ApiError } from '../common/api-error';
import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import type { CompleteTaskBody, ListTasksQuery } from './tasks.schemas';

/** The public Task JSON: internal routing fields stay inside. */
function view({ workflowId: _w, commandId: _c, ...task }: TaskRecord): Task {
  return task;
}

@Injectable()
export class TasksService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async list(q: ListTasksQuery): Promise<{ items: Task[]; nextCursor: string | null }> {
    try {
      const page = await listTasks(this.pool, q);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    } catch (e) {
      if (e instanceof InvalidCursorError) throw new ApiError(400, 'invalid-request', 'cursor is not valid', [{ path: 'cursor', message: e.message }]);
      throw e;
    }
  }

  async get(id: string): Promise<Task> {
    const task = await getTask(this.pool, id);
    if (!task) throw new ApiError(404, 'not-found', 'no such task');
    return view(task);
  }

  async complete(id: string, body: CompleteTaskBody, actor: string): Promise<Task> {
    const existing = await getTask(this.pool, id);
    if (!existing) throw new ApiError(404, 'not-found', 'no such task');
    const allowed = allowedOutcomes(existing.type);
    if (!allowed.includes(body.outcome)) {
      throw new ApiError(400, 'invalid-request', `outcome must be one of: ${allowed.join(', ')}`, [
        { path: 'outcome', message: `not allowed for ${existing.type}` },
      ]);
    }
    const result = await completeTask(this.pool, { id, outcome: body.outcome, note: body.note, actor }, async (task) => {
      try {
        await this.temporal.workflow.getHandle(task.workflowId).signal(taskCompletedSignal, {
          taskId: task.id,
          commandId: task.commandId,
          outcome: body.outcome,
          completedAt: task.completedAt ?? new Date().toISOString(),
        });
      } catch {
        throw new ApiError(503, 'unavailable', 'the pathway could not be told of the completion; nothing was recorded, try again');
      }
    });
    if (result.kind === 'not-found') throw new ApiError(404, 'not-found', 'no such task');
    if (result.kind === 'already-closed') throw new ApiError(409, 'conflict', `task is already ${result.task.status}`);
    return view(result.task);
  }
}
