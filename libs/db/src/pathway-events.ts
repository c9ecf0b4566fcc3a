import type { PoolClient } from 'pg';

/** The CloudEvents types Tandem publishes on `pathway-events` (CONTRACT.md section 2). */
export type PathwayEventType =
  | 'tandem.pathway.stage-changed'
  | 'tandem.task.opened'
  | 'tandem.task.updated'
  | 'tandem.task.escalated'
  | 'tandem.task.closed'
  | 'tandem.referral.sent'
  | 'tandem.pathway.fact-recorded';

/** The event's time, set by PostgreSQL when the step's transaction writes it. */
export const PATHWAY_EVENT_TIME_SQL = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The CloudEvents envelope of a pathway event, without its `data` and `time` (and `id`, set by the relay). */
export function pathwayEventEnvelope(patientId: string, type: PathwayEventType): string {
  return JSON.stringify({ specversion: '1.0', source: 'tandem/pathway', type, subject: patientId, datacontenttype: 'application/json' });
}

export const pathwayEventKey = (idempotencyKey: string) => `${idempotencyKey}/pathway-event`;

/**
 * Queues one pathway event in the outbox, in the step's transaction. Its key makes a retried step
 * queue it once; the relay sets the CloudEvent `id` to the outbox row id, stable across republishing.
 */
export async function queuePathwayEvent(
  db: PoolClient,
  idempotencyKey: string,
  patientId: string,
  type: PathwayEventType,
  data: Record<string, unknown>,
): Promise<void> {
  await db.query({
    name: 'tandem-queue-pathway-event',
    text: `INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
     VALUES ($1, 'pathway-events', $2, $3::jsonb || jsonb_build_object('data', $4::jsonb, 'time', ${PATHWAY_EVENT_TIME_SQL}))
     ON CONFLICT (idempotency_key) DO NOTHING`,
    values: [pathwayEventKey(idempotencyKey), patientId, pathwayEventEnvelope(patientId, type), JSON.stringify(data)],
  });
}
