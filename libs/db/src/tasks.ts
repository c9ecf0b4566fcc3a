import type { Pool, PoolClient } from 'pg';
import type { Priority, Queue, RuleId, Task, TaskStatus, TaskType } from '@tandem/domain';

export interface TaskRow {
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
  /** Set for a task opened on a loaded history's clock (migration 021): when, clinically. */
  opened_at: Date | null;
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

export function toTask(r: TaskRow): TaskRecord {
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
    ...(r.opened_at ? { openedAt: r.opened_at.toISOString() } : {}),
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
