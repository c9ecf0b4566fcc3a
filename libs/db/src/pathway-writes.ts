import type { PoolClient } from 'pg';
import type { PathwayCommand } from '@tandem/domain';
import { PATHWAY_EVENT_TIME_SQL, pathwayEventEnvelope, pathwayEventKey, queuePathwayEvent } from './pathway-events';

export interface StepContext {
  workflowId: string;
  patientId: string;
  /** The clinical event whose step this is (none for timers and task completions). */
  sourceEventId?: string;
  /** Set when the step moved the pathway to another stage. */
  stage?: { from: string; to: string };
  /** The step's first command's or timer's id (keys the stage change); older requests derive it from `commands`. */
  stepKey?: string;
}

/**
 * Every statement here is named: node-pg prepares it once per connection, so PostgreSQL parses and
 * plans it once instead of on every step (measured: about a third less PostgreSQL CPU per enrolment;
 * docs/benchmarks.md). A name must only ever be used for one text.
 *
 * Carries out one pathway step's commands in the caller's transaction, with the pathway events they
 * make (task opened/updated/closed, facts, stage changes). Every write is idempotent: its key is the
 * workflow id + the command id, backed by a UNIQUE constraint, so an activity retry has the effect of one run.
 */
export async function writeCommands(db: PoolClient, step: StepContext, commands: readonly PathwayCommand[]): Promise<Record<string, string>> {
  const { workflowId, patientId } = step;
  const taskIds: Record<string, string> = {};
  const key = (commandId: string) => `${workflowId}/${commandId}`;
  const event = (commandId: string, type: Parameters<typeof queuePathwayEvent>[3], data: Record<string, unknown>) =>
    queuePathwayEvent(db, key(commandId), patientId, type, data);

  if (step.stage) {
    // Keyed by the step's first command (or timer), so a retried step queues the change once.
    const first = step.stepKey ?? (commands[0] ? ('commandId' in commands[0] ? commands[0].commandId : commands[0].timerId) : (step.sourceEventId ?? 'step'));
    await event(`${first}/stage/${step.stage.to}`, 'tandem.pathway.stage-changed', {
      from: step.stage.from,
      to: step.stage.to,
      sourceEventId: step.sourceEventId ?? null,
    });
  }
  const taskIdOf = async (commandId: string) =>
    (
      await db.query<{ id: string }>({
        name: 'tandem-task-id',
        text: 'SELECT id FROM task WHERE workflow_id = $1 AND command_id = $2',
        values: [workflowId, commandId],
      })
    ).rows[0]?.id;

  for (const c of commands) {
    switch (c.kind) {
      case 'open-task': {
        const t = c.task;
        // One round trip: the task, its history row and its pathway event (only if it was new).
        const inserted = await db.query<{ id: string }>({
          name: 'tandem-open-task',
          text: `WITH t AS (
             INSERT INTO task (idempotency_key, patient_id, workflow_id, command_id, type, subject, queue, priority, due_at, reason_rule, reason_evidence, source_event_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING id
           ), h AS (
             INSERT INTO task_history (task_id, status, actor) SELECT id, 'open', 'pathway' FROM t
           ), e AS (
             INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
             SELECT $13, 'pathway-events', $2, $14::jsonb || jsonb_build_object('data', $15::jsonb || jsonb_build_object('taskId', t.id), 'time', ${PATHWAY_EVENT_TIME_SQL})
             FROM t ON CONFLICT (idempotency_key) DO NOTHING
           )
           SELECT id FROM t`,
          values: [
            key(c.commandId),
            patientId,
            workflowId,
            c.commandId,
            t.type,
            t.subject,
            t.queue,
            t.priority,
            t.dueAt,
            t.reason.rule,
            JSON.stringify(t.reason.evidence),
            step.sourceEventId ?? null,
            pathwayEventKey(key(c.commandId)),
            pathwayEventEnvelope(patientId, 'tandem.task.opened'),
            JSON.stringify({
              type: t.type,
              queue: t.queue,
              priority: t.priority,
              dueAt: t.dueAt,
              rule: t.reason.rule,
              sourceEventId: step.sourceEventId ?? null,
            }),
          ],
        });
        const opened = inserted.rows[0]?.id;
        const id = opened ?? (await taskIdOf(c.commandId));
        if (id) taskIds[c.commandId] = id;
        break;
      }
      case 'update-task': {
        const updated = await db.query<{ id: string; escalation_level: number }>({
          name: 'tandem-update-task',
          text: `UPDATE task SET priority = $3, due_at = $4, escalation_level = GREATEST(escalation_level, $5), reason_evidence = reason_evidence || $6::jsonb
           WHERE workflow_id = $1 AND command_id = $2 AND status IN ('open', 'claimed') RETURNING id, escalation_level`,
          values: [workflowId, c.target, c.priority, c.dueAt, c.escalationLevel ?? 0, JSON.stringify(c.reason.evidence)],
        });
        const u = updated.rows[0];
        if (u)
          await event(c.commandId, c.escalationLevel ? 'tandem.task.escalated' : 'tandem.task.updated', {
            taskId: u.id,
            priority: c.priority,
            dueAt: c.dueAt,
            escalationLevel: u.escalation_level,
            rule: c.reason.rule,
          });
        break;
      }
      case 'close-task': {
        const closed = await db.query<{ id: string }>({
          name: 'tandem-close-task',
          text: `UPDATE task SET status = $3, outcome = COALESCE(outcome, $4), completed_at = COALESCE(completed_at, $5)
           WHERE workflow_id = $1 AND command_id = $2 AND status IN ('open', 'claimed') RETURNING id`,
          values: [workflowId, c.target, c.status, c.why, c.at],
        });
        if (closed.rows[0]) {
          await db.query({
            name: 'tandem-task-history',
            text: `INSERT INTO task_history (task_id, status, actor, outcome) VALUES ($1, $2, 'pathway', $3)`,
            values: [closed.rows[0].id, c.status, c.why],
          });
          await event(c.commandId, 'tandem.task.closed', { taskId: closed.rows[0].id, status: c.status, why: c.why, rule: c.rule });
        }
        break;
      }
      case 'notify': {
        const n = c.notification;
        const taskId = n.taskCommandId ? (taskIds[n.taskCommandId] ?? (await taskIdOf(n.taskCommandId))) : undefined;
        await db.query({
          name: 'tandem-notify',
          text: `INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
           VALUES ($1, 'care-notifications', $2, jsonb_build_object('id', gen_random_uuid()) || $3::jsonb) ON CONFLICT (idempotency_key) DO NOTHING`,
          values: [
            key(c.commandId),
            patientId,
            JSON.stringify({
              patientId,
              kind: n.kind,
              recipient: n.recipient,
              channel: n.channel,
              text: n.text,
              ...(taskId ? { taskId } : {}),
              createdAt: new Date().toISOString(),
              reason: n.reason,
            }),
          ],
        });
        break;
      }
      case 'record-fact':
        await db.query({
          name: 'tandem-record-fact',
          text: `INSERT INTO pathway_fact (idempotency_key, patient_id, name, value, at, rule, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`,
          values: [
            key(c.commandId),
            patientId,
            c.fact.name,
            JSON.stringify(c.fact.value ?? null),
            c.fact.at,
            c.fact.reason.rule,
            JSON.stringify(c.fact.reason.evidence),
          ],
        });
        await event(c.commandId, c.fact.name === 'referral-sent' ? 'tandem.referral.sent' : 'tandem.pathway.fact-recorded', {
          name: c.fact.name,
          at: c.fact.at,
          rule: c.fact.reason.rule,
        });
        break;
      case 'schedule-timer':
      case 'cancel-timer':
        break; // timers are the workflow's own
      default:
        return c satisfies never;
    }
  }
  return taskIds;
}
