import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Pool } from 'pg';
import type { TaskRecord } from '@tandem/db';
import { claimTask, completeTask, getTask, InvalidCursorError, isKnownStaff, listTasks, pathwayEndOf, reassignTask, taskCounts, unclaimTask } from '@tandem/db';
import type { Task } from '@tandem/domain';
import { allowedOutcomes, CLINICAL_TIME_SKEW_MS, taskSummary } from '@tandem/domain';
import { taskCompletedSignal } from '@tandem/workflows/contract';
import { mayUseQueue, queuesOf } from '../auth/queue-access';
import type { Principal } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';
import type { z } from 'zod';
import type { CompleteTaskBody, ListTasksQuery, queueCountsSchema } from './tasks.schemas';

/** Per queue the caller works: its open, claimed, overdue and urgent tasks. */
export type QueueCounts = z.infer<typeof queueCountsSchema>['items'];

/** The public Task JSON (internal routing fields stay inside), plus the outcomes a completion may record. */
function view({ workflowId: _w, commandId: _c, ...task }: TaskRecord): Task & { allowedOutcomes: readonly string[]; summary: string } {
  return { ...task, allowedOutcomes: allowedOutcomes(task.type), summary: taskSummary(task) };
}

/** Completing a task someone else holds is their work taken from them: only when asked for, and recorded (ADR 0004). */
const claimedByAnother = () =>
  new DomainError('claimed-by-another', 'this task is claimed by someone else: complete it with takeOver: true to take it over (recorded)');

/** How long telling a pathway of a completion may take before the completion is rolled back (ADR 0004). */
const SIGNAL_DEADLINE_MS = 5_000;

@Injectable()
export class TasksService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async list(q: ListTasksQuery, caller: Principal): Promise<{ items: Task[]; nextCursor: string | null }> {
    if (q.queue && !mayUseQueue(caller, q.queue)) throw new DomainError('forbidden', `your roles do not include the ${q.queue} queue`);
    try {
      const page = await listTasks(this.pool, { ...q, queues: queuesOf(caller) });
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    } catch (e) {
      if (e instanceof InvalidCursorError) throw new DomainError('invalid-request', 'cursor is not valid', [{ path: 'cursor', message: e.message }]);
      throw e;
    }
  }

  /** The caller's queues with their counts: open, claimed, overdue and urgent tasks. */
  async queueCounts(caller: Principal): Promise<QueueCounts> {
    return (await taskCounts(this.pool, queuesOf(caller))) as QueueCounts;
  }

  /** The task if the caller may see it: a task in another queue is as good as absent (404), not a hint. */
  private async visible(id: string, caller: Principal) {
    const task = await getTask(this.pool, id);
    if (!task || !mayUseQueue(caller, task.queue)) throw new DomainError('not-found', 'no such task');
    return task;
  }

  async get(id: string, caller: Principal): Promise<Task> {
    return view(await this.visible(id, caller));
  }

  async claim(id: string, caller: Principal): Promise<Task> {
    await this.visible(id, caller);
    const r = await claimTask(this.pool, id, caller.sub);
    if (r.kind === 'not-found') throw new DomainError('not-found', 'no such task');
    if (r.kind === 'conflict') {
      throw new DomainError('conflict', r.task.status === 'claimed' ? 'task is claimed by someone else' : `task is already ${r.task.status}`);
    }
    return view(r.task);
  }

  async unclaim(id: string, caller: Principal): Promise<Task> {
    await this.visible(id, caller);
    const r = await unclaimTask(this.pool, id, caller.sub, caller.roles.includes('admin'));
    if (r.kind === 'not-found') throw new DomainError('not-found', 'no such task');
    if (r.kind === 'conflict')
      throw new DomainError('conflict', r.task.status === 'claimed' ? 'only the claimer or an admin can unclaim' : `task is ${r.task.status}`);
    return view(r.task);
  }

  async reassign(id: string, to: string, caller: Principal): Promise<Task> {
    await this.visible(id, caller);
    const r = await reassignTask(this.pool, id, caller.sub, to, caller.roles.includes('admin'));
    if (r.kind === 'not-found') throw new DomainError('not-found', 'no such task');
    if (r.kind === 'conflict')
      throw new DomainError('conflict', r.task.status === 'claimed' ? 'only the claimer or an admin can reassign' : `task is ${r.task.status}`);
    return view(r.task);
  }

  async complete(id: string, body: CompleteTaskBody, caller: Principal): Promise<Task> {
    const existing = await this.visible(id, caller);
    const actor = caller.sub;
    const allowed = allowedOutcomes(existing.type);
    // 409, not 400: the body is well formed; it does not fit this task (its type's outcomes).
    if (!allowed.includes(body.outcome)) {
      throw new DomainError('outcome-not-allowed', `outcome must be one of: ${allowed.join(', ')}`, [
        { path: 'outcome', message: `not allowed for ${existing.type}` },
      ]);
    }
    if (body.keyWorker !== undefined && existing.type !== 'assign-key-worker')
      throw new DomainError('outcome-not-allowed', 'keyWorker names the key worker of an assign-key-worker task only', [
        { path: 'keyWorker', message: `not for ${existing.type}` },
      ]);
    if (existing.status === 'claimed' && existing.claimedBy !== actor && !body.takeOver) throw claimedByAnother();
    // A key worker is a known member of staff (ADR 0004): who completes it is; anyone else must be.
    if (body.keyWorker !== undefined && body.keyWorker !== actor && !(await isKnownStaff(this.pool, body.keyWorker)))
      throw new DomainError('unknown-key-worker', 'the key worker must be a known member of staff: someone who has signed in to Tandem with a care role', [
        { path: 'keyWorker', message: 'not a known member of staff' },
      ]);
    if (body.completedAt !== undefined && Date.parse(body.completedAt) > Date.now() + CLINICAL_TIME_SKEW_MS)
      throw new DomainError('invalid-request', 'completedAt is in the future: a completion records work already done', [
        { path: 'completedAt', message: 'in the future' },
      ]);
    const input = {
      id,
      outcome: body.outcome,
      note: body.note,
      keyWorker: body.keyWorker,
      actor,
      roles: caller.roles,
      takeOver: body.takeOver === true,
      ...(body.completedAt !== undefined ? { completedAt: new Date(body.completedAt).toISOString() } : {}),
    };
    const result = await completeTask(this.pool, input, async (task) => {
      try {
        // Bounded: Temporal out of reach is a prompt 503 (and a rollback), not a request left hanging.
        await this.temporal.connection.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
          this.temporal.workflow.getHandle(task.workflowId).signal(taskCompletedSignal, {
            taskId: task.id,
            commandId: task.commandId,
            outcome: body.outcome,
            completedAt: task.completedAt ?? new Date().toISOString(),
          }),
        );
      } catch (e) {
        // A pathway that ended (ADR 0017) holds no open task: a task still open in PostgreSQL (a step
        // whose writes failed for good) is closed here, with nothing to tell.
        if (e instanceof WorkflowNotFoundError && (await pathwayEndOf(this.pool, task.patientId))) return;
        throw new DomainError('unavailable', 'the pathway could not be told of the completion; nothing was recorded, try again');
      }
    });
    if (result.kind === 'not-found') throw new DomainError('not-found', 'no such task');
    if (result.kind === 'already-closed') throw new DomainError('conflict', `task is already ${result.task.status}`);
    if (result.kind === 'claimed-by-another') throw claimedByAnother();
    if (result.kind === 'before-opened')
      throw new DomainError('invalid-request', `completedAt is before what opened the task (${result.since}): work cannot be done before it was asked for`, [
        { path: 'completedAt', message: 'before the task was opened' },
      ]);
    return view(result.task);
  }
}
