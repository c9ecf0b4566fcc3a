import type { Pool, PoolClient } from 'pg';
import type { Priority, Queue, RuleId, Task, TaskStatus, TaskType } from '@tandem/domain';

interface TaskRow {
  id: string;
  patient_id: string;
  workflow_id: string;
  command_id: string;
  type: TaskType;
  queue: Queue;
  priority: Priority;
  priority_rank: number;
  status: TaskStatus;
  due_at: Date;
  created_at: Date;
  claimed_by: string | null;
  completed_at: Date | null;
  outcome: string | null;
  note: string | null;
  escalation_level: number;
  /** Written only by tandem_carry_out from a domain Reason: always a catalogued rule id. */
  reason_rule: RuleId;
  reason_evidence: Record<string, unknown>;
}

export interface TaskRecord extends Task {
  workflowId: string;
  commandId: string;
}

function toTask(r: TaskRow): TaskRecord {
  return {
    id: r.id,
    patientId: r.patient_id,
    workflowId: r.workflow_id,
    commandId: r.command_id,
    type: r.type,
    queue: r.queue,
    priority: r.priority,
    status: r.status,
    dueAt: r.due_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    ...(r.claimed_by ? { claimedBy: r.claimed_by } : {}),
    ...(r.completed_at ? { completedAt: r.completed_at.toISOString() } : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
    ...(r.note ? { note: r.note } : {}),
    escalationLevel: r.escalation_level,
    reason: { rule: r.reason_rule, evidence: r.reason_evidence },
  };
}

export async function getTask(db: Pool | PoolClient, id: string): Promise<TaskRecord | undefined> {
  const r = await db.query<TaskRow>('SELECT * FROM task WHERE id = $1', [id]);
  return r.rows[0] ? toTask(r.rows[0]) : undefined;
}

export interface TaskFilter {
  queue?: string;
  /** Only tasks in these queues (the caller's); undefined means no restriction. */
  queues?: readonly string[];
  status?: TaskStatus;
  patientId?: string;
  type?: string;
  priority?: string;
  /** Claimed by this user (their "my tasks"). */
  claimedBy?: string;
  /** Past their due time. */
  overdue?: boolean;
  cursor?: string;
  limit: number;
}

interface Cursor {
  rank: number;
  due: string;
  id: string;
}

/**
 * A page's cursor: the last row's rank, due time (epoch ms) and id, as `rank.dueMs.id`. Every string
 * of that shape (TASK_CURSOR_PATTERN, published in the OpenAPI document) is a position in the order
 * (13 digits of ms: before the year 2287, which PostgreSQL and ISO-8601 both read).
 */
export const TASK_CURSOR_PATTERN = /^\d{1,3}\.\d{1,13}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const encodeCursor = (c: Cursor) => `${c.rank}.${Date.parse(c.due)}.${c.id}`;

export function decodeCursor(raw: string): Cursor | undefined {
  if (!TASK_CURSOR_PATTERN.test(raw)) return undefined;
  const [rank, dueMs, id] = raw.split('.') as [string, string, string];
  return { rank: Number(rank), due: new Date(Number(dueMs)).toISOString(), id };
}

/** The inbox: most urgent first, then earliest due; keyset paging so pages stay stable while tasks arrive. */
export async function listTasks(pool: Pool, f: TaskFilter): Promise<{ items: TaskRecord[]; nextCursor: string | null }> {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (f.queue) add('queue = ?', f.queue);
  if (f.queues) add('queue = ANY(?)', f.queues);
  if (f.status) add('status = ?', f.status);
  else where.push(`status IN ('open', 'claimed')`);
  if (f.patientId) add('patient_id = ?', f.patientId);
  if (f.type) add('type = ?', f.type);
  if (f.priority) add('priority = ?', f.priority);
  if (f.claimedBy) add('claimed_by = ?', f.claimedBy);
  if (f.overdue) where.push('due_at < now()');
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    if (!c) throw new InvalidCursorError();
    args.push(c.rank, c.due, c.id);
    where.push(`(priority_rank, due_at, id) > ($${args.length - 2}, $${args.length - 1}, $${args.length})`);
  }
  args.push(f.limit + 1);
  const r = await pool.query<TaskRow>(
    `SELECT * FROM task ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY priority_rank, due_at, id LIMIT $${args.length}`,
    args,
  );
  const rows = r.rows.slice(0, f.limit);
  const last = rows[rows.length - 1];
  const nextCursor = r.rows.length > f.limit && last ? encodeCursor({ rank: last.priority_rank, due: last.due_at.toISOString(), id: last.id }) : null;
  return { items: rows.map(toTask), nextCursor };
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid');
    this.name = 'InvalidCursorError';
  }
}

export type CompleteResult =
  | { kind: 'completed'; task: TaskRecord }
  | { kind: 'not-found' }
  | { kind: 'already-closed'; task: TaskRecord }
  | { kind: 'claimed-by-another'; task: TaskRecord };

/**
 * Marks a task done inside the caller's transaction and hands the result to `thenSignal`
 * before committing: if telling the workflow fails, the completion is rolled back, so the
 * database never says done while the pathway still waits. A task claimed by someone else is
 * completed only with `takeOver` (ADR 0004): the take-over is a history row (`claimed`, "taken over from …") and an
 * audit row (action `task.take-over`), in the same transaction as the completion.
 */
export async function completeTask(
  pool: Pool,
  input: { id: string; outcome: string; note?: string; keyWorker?: string; actor: string; roles?: readonly string[]; takeOver?: boolean },
  thenSignal: (task: TaskRecord) => Promise<void>,
): Promise<CompleteResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // The row as it was, locked: who held it decides whether this is a take-over.
    const before = await client.query<{ status: string; claimed_by: string | null }>('SELECT status, claimed_by FROM task WHERE id = $1 FOR UPDATE', [
      input.id,
    ]);
    const held = before.rows[0];
    const takenFrom = held?.status === 'claimed' && held.claimed_by !== input.actor ? held.claimed_by : null;
    if (takenFrom !== null && !input.takeOver) {
      await client.query('ROLLBACK');
      const existing = await getTask(pool, input.id);
      return existing ? { kind: 'claimed-by-another', task: existing } : { kind: 'not-found' };
    }
    const r = await client.query<TaskRow>(
      `UPDATE task SET status = 'done', outcome = $2, note = $3, completed_by = $4, completed_at = now(), key_worker = $5,
              claimed_by = CASE WHEN $6::boolean THEN $4 ELSE claimed_by END
       WHERE id = $1 AND status IN ('open', 'claimed') RETURNING *`,
      [input.id, input.outcome, input.note ?? null, input.actor, input.keyWorker ?? null, takenFrom !== null],
    );
    const row = r.rows[0];
    if (!row) {
      await client.query('ROLLBACK');
      const existing = await getTask(pool, input.id);
      return existing ? { kind: 'already-closed', task: existing } : { kind: 'not-found' };
    }
    if (takenFrom !== null) {
      // As a reassignment is recorded: a `claimed` row saying from whom (the task's timeline shows it).
      await client.query(`INSERT INTO task_history (task_id, status, actor, outcome) VALUES ($1, 'claimed', $2, $3)`, [
        row.id,
        input.actor,
        `taken over from ${takenFrom}`,
      ]);
      await client.query(`INSERT INTO audit (actor, roles, action, patient_id, resource, status) VALUES ($1, $2, 'task.take-over', $3, $4, 200)`, [
        input.actor,
        input.roles ?? [],
        row.patient_id,
        row.id,
      ]);
    }
    await client.query(`INSERT INTO task_history (task_id, status, actor, outcome) VALUES ($1, 'done', $2, $3)`, [row.id, input.actor, input.outcome]);
    const task = toTask(row);
    await thenSignal(task);
    await client.query('COMMIT');
    return { kind: 'completed', task };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

export type ClaimResult = { kind: 'claimed'; task: TaskRecord } | { kind: 'not-found' } | { kind: 'conflict'; task: TaskRecord };

/**
 * Claims a task for `actor` in one conditional UPDATE: of concurrent callers exactly one wins; a
 * repeat by the winner is idempotent; everyone else gets a conflict.
 */
export async function claimTask(pool: Pool, id: string, actor: string): Promise<ClaimResult> {
  const r = await pool.query<TaskRow>(
    `UPDATE task SET status = 'claimed', claimed_by = $2, claimed_at = COALESCE(claimed_at, now())
     WHERE id = $1 AND (status = 'open' OR (status = 'claimed' AND claimed_by = $2)) RETURNING *`,
    [id, actor],
  );
  if (r.rows[0]) {
    await pool.query(`INSERT INTO task_history (task_id, status, actor) VALUES ($1, 'claimed', $2)`, [id, actor]);
    return { kind: 'claimed', task: toTask(r.rows[0]) };
  }
  const existing = await getTask(pool, id);
  return existing ? { kind: 'conflict', task: existing } : { kind: 'not-found' };
}

/** Returns a claimed task to its queue: by its claimer, or by anyone when `force` (admin). */
export async function unclaimTask(pool: Pool, id: string, actor: string, force: boolean): Promise<ClaimResult> {
  const r = await pool.query<TaskRow>(
    `UPDATE task SET status = 'open', claimed_by = NULL, claimed_at = NULL
     WHERE id = $1 AND status = 'claimed' AND (claimed_by = $2 OR $3) RETURNING *`,
    [id, actor, force],
  );
  if (r.rows[0]) {
    await pool.query(`INSERT INTO task_history (task_id, status, actor) VALUES ($1, 'open', $2)`, [id, actor]);
    return { kind: 'claimed', task: toTask(r.rows[0]) };
  }
  const existing = await getTask(pool, id);
  return existing ? { kind: 'conflict', task: existing } : { kind: 'not-found' };
}

/** Open and claimed tasks per queue: how many, how many overdue, how many urgent. */
export async function taskCounts(
  pool: Pool,
  queues: readonly string[],
): Promise<Array<{ queue: string; open: number; claimed: number; overdue: number; urgent: number }>> {
  const r = await pool.query<{ queue: string; open: number; claimed: number; overdue: number; urgent: number }>(
    `SELECT q AS queue,
            count(t.id) FILTER (WHERE t.status = 'open')::int AS open,
            count(t.id) FILTER (WHERE t.status = 'claimed')::int AS claimed,
            count(t.id) FILTER (WHERE t.due_at < now())::int AS overdue,
            count(t.id) FILTER (WHERE t.priority = 'urgent')::int AS urgent
       FROM unnest($1::text[]) AS q LEFT JOIN task t ON t.queue = q AND t.status IN ('open', 'claimed')
      GROUP BY q`,
    [queues],
  );
  const byQueue = new Map(r.rows.map((x) => [x.queue, x]));
  return queues.map((q) => byQueue.get(q) ?? { queue: q, open: 0, claimed: 0, overdue: 0, urgent: 0 });
}

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

/** Hands a claimed (or open) task to another user: by its claimer, or by anyone when `force` (admin). */
export async function reassignTask(pool: Pool, id: string, actor: string, to: string, force: boolean): Promise<ClaimResult> {
  const r = await pool.query<TaskRow>(
    `UPDATE task SET status = 'claimed', claimed_by = $4, claimed_at = now()
     WHERE id = $1 AND ((status = 'claimed' AND (claimed_by = $2 OR $3)) OR (status = 'open' AND $3)) RETURNING *`,
    [id, actor, force, to],
  );
  if (r.rows[0]) {
    await pool.query(`INSERT INTO task_history (task_id, status, actor, outcome) VALUES ($1, 'claimed', $2, $3)`, [id, actor, `reassigned to ${to}`]);
    return { kind: 'claimed', task: toTask(r.rows[0]) };
  }
  const existing = await getTask(pool, id);
  return existing ? { kind: 'conflict', task: existing } : { kind: 'not-found' };
}

/** The PostgreSQL ids of a pathway's tasks, by the command that opened them (the workflow keeps none). */
export async function taskIdsByCommand(pool: Pool, workflowId: string, commandIds: readonly string[]): Promise<Record<string, string>> {
  if (commandIds.length === 0) return {};
  const r = await pool.query<{ command_id: string; id: string }>({
    name: 'tandem-task-ids-by-command',
    text: `SELECT command_id, id FROM task WHERE workflow_id = $1 AND command_id = ANY($2::text[])`,
    values: [workflowId, commandIds],
  });
  return Object.fromEntries(r.rows.map((x) => [x.command_id, x.id]));
}

/** The roles of people who care for patients: who may be named a key worker. */
export const CARE_ROLES = ['coordinator', 'clinician', 'specialist'] as const;

/**
 * Whether `who` is a known member of staff: an identity the API has admitted with a care role
 * (an audit row with that actor, one of CARE_ROLES, and an answer below 400). Tandem keeps no staff
 * register of its own: people come from the identity provider's tokens, and the audit is the
 * append-only record of every identity it has admitted (ADR 0004).
 */
export async function isKnownStaff(db: Pool | PoolClient, who: string): Promise<boolean> {
  const r = await db.query(`SELECT 1 FROM audit WHERE actor = $1 AND roles && $2::text[] AND status < 400 LIMIT 1`, [who, CARE_ROLES]);
  return (r.rowCount ?? 0) > 0;
}
