/** A patient's timeline: what happened to their tasks, and the clinical events themselves, newest first. */
import type { Pool } from 'pg';

export interface TimelineEntry {
  at: string;
  /** `event`: a clinical event itself. */
  kind: 'event' | 'task' | 'notification' | 'fact';
  /** In codes: "symptom-review: done (seen)", "prom-request to patient", "patient.died", a fact's name. */
  what: string;
  /** The code the entry is about: the task type, notification kind, event type or fact name (the console words it). */
  code: string;
  /** A task's new status and outcome; a notification's recipient role. */
  status?: string;
  outcome?: string;
  recipient?: string;
  rule?: string;
  taskId?: string;
  /** A clinical event's provenance (migration 013): absent for events stored before it. */
  broughtBy?: BroughtBy;
}

/**
 * Who brought a clinical event: `api` (a principal, by sub and roles), `prom-page` (the patient's
 * link, by request id) or `kafka` (an integration); always where the kafka-bridge read it.
 */
export interface BroughtBy {
  via: 'api' | 'prom-page' | 'kafka';
  by?: string;
  roles?: string[];
  topic?: string;
  partition?: number;
  offset?: string;
}

type TimelineRow = {
  at: Date;
  kind: TimelineEntry['kind'];
  what: string;
  code: string;
  status: string | null;
  outcome: string | null;
  recipient: string | null;
  rule: string | null;
  task_id: string | null;
  brought: BroughtBy | null;
};

/**
 * A patient's timeline from the stored record, newest first: the clinical events, task status
 * changes, notifications (as the notifier recorded them: the outbox is pruned), pathway facts.
 */
export async function patientTimeline(pool: Pool, patientId: string, limit = 500): Promise<TimelineEntry[]> {
  const r = await pool.query<TimelineRow>(
    `SELECT * FROM (
       SELECT h.at, 'task' AS kind, t.type || ': ' || h.status || COALESCE(' (' || h.outcome || ')', '') AS what, t.type AS code,
              h.status, h.outcome, NULL AS recipient, t.reason_rule AS rule, t.id::text AS task_id, NULL::jsonb AS brought
         FROM task_history h JOIN task t ON t.id = h.task_id WHERE t.patient_id = $1
       UNION ALL
       SELECT n.created_at, 'notification', n.kind || ' to ' || n.recipient_role, n.kind,
              NULL, NULL, n.recipient_role, n.payload->'reason'->>'rule', n.task_id::text, NULL
         FROM notification n WHERE n.patient_id = $1
       UNION ALL
       SELECT f.at, 'fact', f.name, f.name, NULL, NULL, NULL, f.rule, NULL, NULL FROM pathway_fact f WHERE f.patient_id = $1
       UNION ALL
       SELECT e.time, 'event', e.type, e.type, NULL, NULL, NULL, NULL, NULL,
              CASE WHEN e.brought_via IS NOT NULL THEN jsonb_strip_nulls(jsonb_build_object('via', e.brought_via, 'by', e.brought_by,
                'roles', e.brought_by_roles, 'topic', e.kafka_topic, 'partition', e.kafka_partition, 'offset', e.kafka_offset::text)) END
         FROM clinical_event e WHERE e.patient_id = $1
     ) timeline ORDER BY at DESC, kind LIMIT $2`,
    [patientId, limit],
  );
  return r.rows.map((x) => ({
    at: x.at.toISOString(),
    kind: x.kind,
    what: x.what,
    code: x.code,
    ...(x.status ? { status: x.status } : {}),
    ...(x.outcome ? { outcome: x.outcome } : {}),
    ...(x.recipient ? { recipient: x.recipient } : {}),
    ...(x.rule ? { rule: x.rule } : {}),
    ...(x.task_id ? { taskId: x.task_id } : {}),
    ...(x.brought ? { broughtBy: x.brought } : {}),
  }));
}
