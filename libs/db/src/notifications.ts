import type { Pool } from 'pg';
import type { CareNotification, DeliveryChannel } from '@tandem/domain';

/**
 * Notifications as the notifier delivers them (migration 010, docs/notifications.md): one row per
 * notification id and one per channel it goes by. Recording is idempotent by id, so a record read
 * twice from care-notifications (a restart, a rebalance) is delivered once.
 */

/** A channel chosen for a notification at intake; `delivered` ones need no sending (in-app). */
export interface PlannedDelivery {
  channel: DeliveryChannel;
  /** `dropped`: never to be sent (too old when first read), recorded so in the same transaction. */
  status: 'pending' | 'delivered' | 'parked' | 'dropped';
  why?: string;
  deliveredTo?: string;
}

/** Records a notification and its deliveries in one transaction; false when it was recorded before. */
export async function recordNotification(pool: Pool, n: CareNotification, deliveries: readonly PlannedDelivery[]): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const r = await client.query(
      `INSERT INTO notification (id, patient_id, kind, recipient_role, recipient_id, task_id, created_at, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [n.id, n.patientId, n.kind, n.recipient.role, n.recipient.id ?? null, n.taskId ?? null, n.createdAt, JSON.stringify(kept(n, deliveries))],
    );
    if (r.rowCount === 1 && deliveries.length > 0) {
      await client.query(
        `INSERT INTO notification_delivery (notification_id, channel, status, why, delivered_to, delivered_at)
         SELECT $1, c, s, w, t, CASE WHEN s = 'delivered' THEN now() END FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS d(c, s, w, t)`,
        [
          n.id,
          deliveries.map((d) => d.channel),
          deliveries.map((d) => d.status),
          deliveries.map((d) => d.why ?? null),
          deliveries.map((d) => d.deliveredTo ?? null),
        ],
      );
    }
    await client.query('COMMIT');
    return r.rowCount === 1;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** The record as kept: with its link only while a channel still has to send it (FORGET_LINK below). */
function kept(n: CareNotification, deliveries: readonly PlannedDelivery[]): CareNotification {
  if (n.link === undefined || deliveries.some((d) => d.status !== 'delivered')) return n;
  const { link: _link, ...rest } = n;
  return rest;
}

/** A delivery the notifier has leased to send now. */
export interface DueDelivery {
  notification: CareNotification;
  channel: DeliveryChannel;
  attempts: number;
}

/**
 * Leases up to `limit` deliveries that are due (pending, or sending with an expired lease: a notifier
 * that died mid-send), oldest first; several notifiers never take the same one.
 */
export async function leaseDueDeliveries(pool: Pool, limit: number, leaseMs: number): Promise<DueDelivery[]> {
  const r = await pool.query<{ payload: CareNotification; channel: DeliveryChannel; attempts: number }>({
    name: 'tandem-lease-deliveries',
    text: `UPDATE notification_delivery d SET status = 'sending', lease_until = now() + make_interval(secs => $2::float8 / 1000)
      FROM (SELECT notification_id, channel FROM notification_delivery
             WHERE next_attempt_at <= now() AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))
             ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due, notification n
     WHERE d.notification_id = due.notification_id AND d.channel = due.channel AND n.id = d.notification_id
     RETURNING n.payload, d.channel, d.attempts`,
    values: [limit, leaseMs],
  });
  return r.rows.map((x) => ({ notification: x.payload, channel: x.channel, attempts: x.attempts }));
}

type Key = { notificationId: string; channel: DeliveryChannel };

/**
 * A PROM-page link is a bearer key (docs/security.md "Secrets at rest"): the record keeps it only while a
 * channel may still need it (pending, sending, or parked for an operator's retry), then forgets it.
 */
const FORGET_LINK = `UPDATE notification n SET payload = n.payload - 'link'
  WHERE n.id = $1 AND n.payload ? 'link'
    AND NOT EXISTS (SELECT 1 FROM notification_delivery d WHERE d.notification_id = n.id AND d.status IN ('pending', 'sending', 'parked'))`;

export async function markDelivered(pool: Pool, k: Key, deliveredTo: string): Promise<void> {
  await pool.query(
    `UPDATE notification_delivery SET status = 'delivered', delivered_at = now(), delivered_to = $3, lease_until = NULL, attempts = attempts + 1, why = NULL
      WHERE notification_id = $1 AND channel = $2`,
    [k.notificationId, k.channel, deliveredTo],
  );
  await pool.query(FORGET_LINK, [k.notificationId]);
}

/** A failed try: tried again at `retryAt`, or parked with its reason when there is none. */
export async function markFailed(pool: Pool, k: Key, why: string, retryAt: Date | undefined): Promise<void> {
  await pool.query(
    `UPDATE notification_delivery SET attempts = attempts + 1, why = $3, lease_until = NULL,
            status = CASE WHEN $4::timestamptz IS NULL THEN 'parked' ELSE 'pending' END,
            next_attempt_at = COALESCE($4::timestamptz, next_attempt_at)
      WHERE notification_id = $1 AND channel = $2`,
    [k.notificationId, k.channel, why, retryAt ?? null],
  );
}

/** Not now (the patient's quiet hours): waits, with why, without counting as a try. */
export async function postponeDelivery(pool: Pool, k: Key, until: Date, why: string): Promise<void> {
  await pool.query(
    `UPDATE notification_delivery SET status = 'pending', next_attempt_at = $3, why = $4, lease_until = NULL WHERE notification_id = $1 AND channel = $2`,
    [k.notificationId, k.channel, until, why],
  );
}

/** Never to be delivered (the patient has died or withdrawn): every channel of the notification still open. */
export async function dropNotification(pool: Pool, notificationId: string, why: string): Promise<void> {
  await pool.query(
    `WITH d AS (UPDATE notification_delivery SET status = 'dropped', why = $2, lease_until = NULL
                 WHERE notification_id = $1 AND status IN ('pending', 'sending'))
     UPDATE notification SET dropped_at = COALESCE(dropped_at, now()), dropped_why = COALESCE(dropped_why, $2), payload = payload - 'link' WHERE id = $1`,
    [notificationId, why],
  );
}

/** Parked deliveries go back to be tried once more now (an operator fixed the cause). */
export async function retryParked(pool: Pool, notificationId?: string): Promise<number> {
  const r = await pool.query(
    `UPDATE notification_delivery SET status = 'pending', next_attempt_at = now(), attempts = 0
      WHERE status = 'parked' AND ($1::uuid IS NULL OR notification_id = $1)`,
    [notificationId ?? null],
  );
  return r.rowCount ?? 0;
}
