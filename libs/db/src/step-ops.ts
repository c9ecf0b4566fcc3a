import type { PathwayCommand, QueuedNotification } from '@tandem/domain';
import type { PathwayEventType } from './pathway-events';
import { pathwayEventKey } from './pathway-events';

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

/** A pathway event without its `time` (set by PostgreSQL) or `id` (the outbox row's, set by the relay). */
type EventBody = {
  specversion: '1.0';
  source: 'tandem/pathway';
  type: PathwayEventType;
  subject: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
};

/**
 * One write of a step, as `tandem_carry_out` (migration 006) runs it. Everything but what only
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
      eventKey: string;
      event: EventBody;
    }
  | { k: 'update'; target: string; priority: string; dueAt: string; level: number; evidence: unknown; eventKey: string; event: EventBody }
  | { k: 'close'; target: string; status: string; why: string; at: string; eventKey: string; event: EventBody }
  | { k: 'notify'; key: string; taskCommandId?: string; payload: QueuedNotification }
  | { k: 'fact'; key: string; name: string; value: unknown; at: string; rule: string; evidence: unknown }
  /** An event parked for the dead-letter topic (migration 007): the relay publishes the envelope with the DLQ headers. */
  | { k: 'park'; key: string; payload: { record: unknown; error: string; detail: string } };

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
  const event = (type: PathwayEventType, data: Record<string, unknown>): EventBody => ({
    specversion: '1.0',
    source: 'tandem/pathway',
    type,
    subject: patientId,
    datacontenttype: 'application/json',
    data,
  });
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
            createdAt: now(),
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
