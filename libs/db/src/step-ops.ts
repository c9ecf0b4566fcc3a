import type { PathwayCommand, QueuedNotification } from '@tandem/domain';
import type { PathwayEventBody, PathwayEventType } from './pathway-events';
import { pathwayEvent, pathwayEventKey } from './pathway-events';

export interface StepContext {
  workflowId: string;
  patientId: string;
  /** The clinical event whose step this is (none for timers and task completions). */
  sourceEventId?: string;
  /** That event's source: its identity is (source, id) (migration 014). Absent in requests recorded before. */
  sourceEventSource?: string;
  /** Set when the step moved the pathway to another stage. */
  stage?: { from: string; to: string };
  /** The step's first command's or timer's id (keys the stage change); older requests derive it from `commands`. */
  stepKey?: string;
  /** The step's clinical time when it was taken on a history's clock (workflows/src/catch-up.ts): its notifications are dated then. */
  at?: string;
}

/** A step's pathway event: PostgreSQL adds its `time` and task ids, the relay its `id` (pathway-events.ts). */
type EventBody = PathwayEventBody;

/**
 * One write of a step, as `tandem_carry_out` (libs/db/migrations/R__carry_out.sql) runs it. Everything but what only
 * PostgreSQL knows (task ids, escalation levels, the time) is decided here.
 */
export type StepOp =
  | { k: 'event'; key: string; event: EventBody }
  | {
      k: 'open';
      key: string;
      commandId: string;
      type: string;
      subject: string;
      queue: string;
      priority: string;
      dueAt: string;
      rule: string;
      evidence: unknown;
      sourceEventId: string | null;
      sourceEventSource: string | null;
      /** Set for a task opened on a loaded history's clock (ADR 0019): the step's clinical time. */
      openedAt?: string;
      eventKey: string;
      event: EventBody;
    }
  | { k: 'update'; target: string; priority: string; dueAt: string; level: number; evidence: unknown; eventKey: string; event: EventBody }
  | { k: 'close'; target: string; status: string; why: string; at: string; eventKey: string; event: EventBody }
  | { k: 'notify'; key: string; taskCommandId?: string; payload: QueuedNotification }
  | { k: 'fact'; key: string; name: string; value: unknown; at: string; rule: string; evidence: unknown }
  /** An event parked for the dead-letter topic (R__carry_out.sql 'park'): the relay publishes the envelope with the DLQ headers. */
  | { k: 'park'; key: string; payload: { record: unknown; error: string; detail: string } };

type OpOf<K extends StepOp['k']> = Extract<StepOp, { k: K }>;
/** How `tandem_carry_out` reads a field: as text (`op->>'f'`), as JSON (`op->'f'`), or whether it is there (`op ? 'f'`, then as text). */
export type FieldRead = 'text' | 'json' | 'present';

/**
 * Every field of every operation and how the SQL function reads it — the typed contract between
 * this file and `tandem_carry_out` (R__carry_out.sql). The compiler holds this to the `StepOp`
 * type (a renamed, added or removed field fails to compile here); the step-ops contract test holds
 * the function's source to this (a field the function reads that is not here, or one here it never
 * reads, fails). So a field renamed on one side only can no longer compile, then write NULL.
 */
export const STEP_OP_FIELDS: { [K in StepOp['k']]: Record<Exclude<keyof OpOf<K>, 'k'>, FieldRead> } = {
  event: { key: 'text', event: 'json' },
  open: {
    key: 'text',
    commandId: 'text',
    type: 'text',
    subject: 'text',
    queue: 'text',
    priority: 'text',
    dueAt: 'text',
    rule: 'text',
    evidence: 'json',
    sourceEventId: 'text',
    sourceEventSource: 'text',
    openedAt: 'text',
    eventKey: 'text',
    event: 'json',
  },
  update: { target: 'text', priority: 'text', dueAt: 'text', level: 'text', evidence: 'json', eventKey: 'text', event: 'json' },
  close: { target: 'text', status: 'text', why: 'text', at: 'text', eventKey: 'text', event: 'json' },
  notify: { key: 'text', taskCommandId: 'present', payload: 'json' },
  fact: { key: 'text', name: 'text', value: 'json', at: 'text', rule: 'text', evidence: 'json' },
  park: { key: 'text', payload: 'json' },
};

/**
 * The writes of one pathway step, in order: the stage change first, then each command's. Keys are
 * the workflow id + the command id (UNIQUE in the database), so a retried step has the effect of one.
 */
export function stepOps(
  step: StepContext,
  commands: readonly PathwayCommand[],
  now: () => string = () => new Date().toISOString(),
  /** The PROM-page links of this step's prom-requests and reminders, by command id (prom-links.ts). */
  links: Readonly<Record<string, string>> = {},
): StepOp[] {
  const { workflowId, patientId } = step;
  const key = (commandId: string) => `${workflowId}/${commandId}`;
  const event = (type: PathwayEventType, data: Record<string, unknown>): EventBody => pathwayEvent(type, patientId, data);
  const ops: StepOp[] = [];
  if (step.stage) {
    // Keyed by the step's first command (or timer), so a retried step queues the change once.
    const first = step.stepKey ?? (commands[0] ? ('commandId' in commands[0] ? commands[0].commandId : commands[0].timerId) : (step.sourceEventId ?? 'step'));
    const stageKey = key(`${first}/stage/${step.stage.to}`);
    ops.push({
      k: 'event',
      key: pathwayEventKey(stageKey),
      event: event('tandem.pathway.stage-changed', { from: step.stage.from, to: step.stage.to, sourceEventId: step.sourceEventId ?? null }),
    });
  }
  for (const c of commands) {
    switch (c.kind) {
      case 'open-task': {
        const t = c.task;
        ops.push({
          k: 'open',
          key: key(c.commandId),
          commandId: c.commandId,
          type: t.type,
          subject: t.subject,
          queue: t.queue,
          priority: t.priority,
          dueAt: t.dueAt,
          rule: t.reason.rule,
          evidence: t.reason.evidence,
          sourceEventId: step.sourceEventId ?? null,
          sourceEventSource: step.sourceEventId === undefined ? null : (step.sourceEventSource ?? null),
          ...(step.at ? { openedAt: step.at } : {}),
          eventKey: pathwayEventKey(key(c.commandId)),
          event: event('tandem.task.opened', {
            type: t.type,
            queue: t.queue,
            priority: t.priority,
            dueAt: t.dueAt,
            rule: t.reason.rule,
            sourceEventId: step.sourceEventId ?? null,
          }),
        });
        break;
      }
      case 'update-task':
        ops.push({
          k: 'update',
          target: c.target,
          priority: c.priority,
          dueAt: c.dueAt,
          level: c.escalationLevel ?? 0,
          evidence: c.reason.evidence,
          eventKey: pathwayEventKey(key(c.commandId)),
          event: event(c.escalationLevel ? 'tandem.task.escalated' : 'tandem.task.updated', { priority: c.priority, dueAt: c.dueAt, rule: c.reason.rule }),
        });
        break;
      case 'close-task':
        ops.push({
          k: 'close',
          target: c.target,
          status: c.status,
          why: c.why,
          at: c.at,
          eventKey: pathwayEventKey(key(c.commandId)),
          event: event('tandem.task.closed', { status: c.status, why: c.why, rule: c.rule }),
        });
        break;
      case 'notify': {
        const n = c.notification;
        ops.push({
          k: 'notify',
          key: key(c.commandId),
          ...(n.taskCommandId ? { taskCommandId: n.taskCommandId } : {}),
          payload: {
            patientId,
            kind: n.kind,
            recipient: n.recipient,
            channel: n.channel,
            text: n.text,
            createdAt: step.at ?? now(),
            reason: n.reason,
            ...(links[c.commandId] ? { link: links[c.commandId] } : {}),
          },
        });
        break;
      }
      case 'record-fact':
        ops.push(
          {
            k: 'fact',
            key: key(c.commandId),
            name: c.fact.name,
            value: c.fact.value ?? null,
            at: c.fact.at,
            rule: c.fact.reason.rule,
            evidence: c.fact.reason.evidence,
          },
          {
            k: 'event',
            key: pathwayEventKey(key(c.commandId)),
            event: event(c.fact.name === 'referral-sent' ? 'tandem.referral.sent' : 'tandem.pathway.fact-recorded', {
              name: c.fact.name,
              at: c.fact.at,
              rule: c.fact.reason.rule,
            }),
          },
        );
        break;
      case 'park-event':
        ops.push({ k: 'park', key: key(c.commandId), payload: { record: c.event, error: c.reason, detail: c.detail } });
        break;
      case 'schedule-timer':
      case 'cancel-timer':
        break; // timers are the workflow's own
      default:
        return c satisfies never;
    }
  }
  return ops;
}
