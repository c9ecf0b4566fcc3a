import type { Pool } from 'pg';
import type { CareNotification, DeliveryChannel } from '@tandem/domain';
import { KEY_WORKER } from './patient-standing';

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'parked' | 'dropped';

/** How one notification fared, as the console and operators see it (never its link: a patient's key). */
export interface NotificationView {
  id: string;
  patientId: string;
  kind: CareNotification['kind'];
  recipient: CareNotification['recipient'];
  text: string;
  taskId?: string;
  createdAt: string;
  reason: CareNotification['reason'];
  /** delivered: every channel; parked: one could not (see its `why`); dropped: not sent at all (death, withdrawal). */
  status: 'pending' | 'delivered' | 'parked' | 'dropped';
  droppedWhy?: string;
  deliveries: Array<{ channel: DeliveryChannel; status: DeliveryStatus; attempts: number; why?: string; deliveredTo?: string; deliveredAt?: string }>;
}

export interface NotificationFilter {
  patientId?: string;
  status?: NotificationView['status'];
  kinds?: readonly string[];
  /** Addressed to any of these (role, id); a role without id matches every id; `key-worker` with an id also matches "the key worker" of the patients that person is key worker for. */
  recipients?: ReadonlyArray<{ role: string; id?: string }>;
  limit: number;
}

type Row = {
  payload: CareNotification;
  dropped_why: string | null;
  deliveries: Array<{
    channel: DeliveryChannel;
    status: DeliveryStatus;
    attempts: number;
    why: string | null;
    delivered_to: string | null;
    delivered_at: string | null;
  }>;
};

export async function listNotifications(pool: Pool, f: NotificationFilter): Promise<NotificationView[]> {
  const recipients = f.recipients ?? [];
  const r = await pool.query<Row>(
    `SELECT n.payload, n.dropped_why,
            COALESCE((SELECT json_agg(json_build_object('channel', d.channel, 'status', d.status, 'attempts', d.attempts, 'why', d.why,
                                                        'delivered_to', d.delivered_to, 'delivered_at', d.delivered_at) ORDER BY d.channel)
                        FROM notification_delivery d WHERE d.notification_id = n.id), '[]') AS deliveries
       FROM notification n
      WHERE ($1::text IS NULL OR n.patient_id = $1)
        AND ($2::text[] IS NULL OR n.kind = ANY($2))
        AND ($3::boolean OR EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[]) AS w(role, id)
                                     WHERE w.role = n.recipient_role
                                       AND (w.id IS NULL OR w.id = n.recipient_id
                                            -- "the key worker" unnamed: whoever was named for the patient
                                            OR (n.recipient_role = 'key-worker' AND n.recipient_id IS NULL
                                                AND EXISTS (SELECT 1 FROM task t WHERE t.patient_id = n.patient_id AND t.type = 'assign-key-worker'
                                                            AND t.status = 'done' AND ${KEY_WORKER} = w.id)))))
        AND ($6::text IS NULL OR CASE
              WHEN n.dropped_at IS NOT NULL THEN 'dropped'
              WHEN EXISTS (SELECT 1 FROM notification_delivery d WHERE d.notification_id = n.id AND d.status = 'parked') THEN 'parked'
              WHEN NOT EXISTS (SELECT 1 FROM notification_delivery d WHERE d.notification_id = n.id AND d.status <> 'delivered') THEN 'delivered'
              ELSE 'pending' END = $6)
      ORDER BY n.created_at DESC, n.id
      LIMIT $7`,
    [
      f.patientId ?? null,
      f.kinds ?? null,
      f.recipients === undefined,
      recipients.map((x) => x.role),
      recipients.map((x) => x.id ?? null),
      f.status ?? null,
      f.limit,
    ],
  );
  return r.rows.map(view);
}

function view(row: Row): NotificationView {
  const n = row.payload;
  const deliveries = row.deliveries.map((d) => ({
    channel: d.channel,
    status: d.status,
    attempts: d.attempts,
    ...(d.why ? { why: d.why } : {}),
    ...(d.delivered_to ? { deliveredTo: d.delivered_to } : {}),
    ...(d.delivered_at ? { deliveredAt: new Date(d.delivered_at).toISOString() } : {}),
  }));
  const status: NotificationView['status'] = row.dropped_why
    ? 'dropped'
    : deliveries.some((d) => d.status === 'parked')
      ? 'parked'
      : deliveries.length > 0 && deliveries.every((d) => d.status === 'delivered')
        ? 'delivered'
        : 'pending';
  return {
    id: n.id,
    patientId: n.patientId,
    kind: n.kind,
    recipient: n.recipient,
    text: n.text,
    ...(n.taskId ? { taskId: n.taskId } : {}),
    createdAt: n.createdAt,
    reason: n.reason,
    status,
    ...(row.dropped_why ? { droppedWhy: row.dropped_why } : {}),
    deliveries,
  };
}
