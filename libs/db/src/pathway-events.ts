/** The CloudEvents types Tandem publishes on `pathway-events` (docs/contract.md section 2). */
export type PathwayEventType =
  | 'tandem.pathway.stage-changed'
  | 'tandem.task.opened'
  | 'tandem.task.updated'
  | 'tandem.task.escalated'
  | 'tandem.task.closed'
  | 'tandem.referral.sent'
  | 'tandem.pathway.fact-recorded'
  | 'tandem.digest.weekly';

/**
 * A pathway event as queued in the outbox: everything but what only later writers know. Who adds
 * what, once each: PostgreSQL the `time` of the step's transaction and, for task events,
 * `data.taskId` (and `data.escalationLevel`) — `tandem_carry_out`; the relay the `id` (the outbox
 * row's, stable across republishing). ADR 0014.
 */
export interface PathwayEventBody {
  specversion: '1.0';
  source: 'tandem/pathway' | 'tandem/measures';
  type: PathwayEventType;
  subject: string;
  datacontenttype: 'application/json';
  time?: string;
  data: Record<string, unknown>;
}

/** The one place a pathway event's body is assembled. */
export function pathwayEvent(
  type: PathwayEventType,
  subject: string,
  data: Record<string, unknown>,
  extra: { source?: PathwayEventBody['source']; time?: string } = {},
): PathwayEventBody {
  return {
    specversion: '1.0',
    source: extra.source ?? 'tandem/pathway',
    type,
    subject,
    datacontenttype: 'application/json',
    ...(extra.time ? { time: extra.time } : {}),
    data,
  };
}

/** The outbox key of a write's pathway event: a retried step queues it once. */
export const pathwayEventKey = (idempotencyKey: string) => `${idempotencyKey}/pathway-event`;
