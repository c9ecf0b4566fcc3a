/** The CloudEvents types Tandem publishes on `pathway-events` (CONTRACT.md section 2). */
export type PathwayEventType =
  | 'tandem.pathway.stage-changed'
  | 'tandem.task.opened'
  | 'tandem.task.updated'
  | 'tandem.task.escalated'
  | 'tandem.task.closed'
  | 'tandem.referral.sent'
  | 'tandem.pathway.fact-recorded';

/**
 * The outbox key of a write's pathway event: a retried step queues it once. The relay sets the
 * CloudEvent `id` to the outbox row id, stable across republishing.
 */
export const pathwayEventKey = (idempotencyKey: string) => `${idempotencyKey}/pathway-event`;
