/** What staff do to a task: claim, unclaim, hand over, complete (ADR 0004). Reading tasks is tasks.ts. */
import type { Pool, PoolClient } from 'pg';
import type { TaskRecord, TaskRow } from './tasks';
import { getTask, toTask } from './tasks';

export type CompleteResult =
  | { kind: 'completed'; task: TaskRecord }
  | { kind: 'not-found' }
  | { kind: 'already-closed'; task: TaskRecord }
  | { kind: 'claimed-by-another'; task: TaskRecord }
  /** `completedAt` is earlier than the clinical time of what opened the task (or, without one, than the task). */
  | { kind: 'before-opened'; since: string };

/**
 * Marks a task done inside the caller's transaction and hands the result to `thenSignal`
 * before committing: if telling the workflow fails, the completion is rolled back, so the
 * database never says done while the pathway still waits. A task claimed by someone else is
 * completed only with `takeOver` (ADR 0004): the take-over is a history row (`claimed`, "taken over from …") and an
 * audit row (action `task.take-over`), in the same transaction as the completion.
 */
export async function completeTask(
  pool: Pool,
  input: {
    id: string;
    outcome: string;
    note?: string;
    keyWorker?: string;
    actor: string;
    roles?: readonly string[];
    takeOver?: boolean;
    /** When it was done, if earlier than now (documented after the fact): no earlier than what opened the task. */
    completedAt?: string;
  },
  thenSignal: (task: TaskRecord) => Promise<void>,
): Promise<CompleteResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // The row as it was, locked: who held it decides whether this is a take-over. `since`: the
    // earliest a completion may be dated, the clinical time of the event that opened the task (a
    // backfilled death opens its bereavement contact now, for a death months ago), else its opening:
    // clinical for a task opened on a loaded history's clock (ADR 0019), else when it was written.
    const before = await client.query<{ status: string; claimed_by: string | null; since: Date }>(
      `SELECT t.status, t.claimed_by,
              COALESCE((SELECT min(e.time) FROM clinical_event e WHERE e.id = t.source_event_id AND e.patient_id = t.patient_id
                          AND (t.source_event_source IS NULL OR e.source = t.source_event_source)), t.opened_at, t.created_at) AS since
         FROM task t WHERE t.id = $1 FOR UPDATE OF t`,
      [input.id],
    );
    const held = before.rows[0];
    // Judged only for a task still to be done (a closed one is a 409 below).
    if (held && ['open', 'claimed'].includes(held.status) && input.completedAt !== undefined && Date.parse(input.completedAt) < held.since.getTime()) {
      await client.query('ROLLBACK');
      return { kind: 'before-opened', since: held.since.toISOString() };
    }
    const takenFrom = held?.status === 'claimed' && held.claimed_by !== input.actor ? held.claimed_by : null;
    if (takenFrom !== null && !input.takeOver) {
      await client.query('ROLLBACK');
      const existing = await getTask(pool, input.id);
      return existing ? { kind: 'claimed-by-another', task: existing } : { kind: 'not-found' };
    }
    const r = await client.query<TaskRow>(
      `UPDATE task SET status = 'done', outcome = $2, note = $3, completed_by = $4, completed_at = LEAST(COALESCE($7::timestamptz, now()), now()), key_worker = $5,
              claimed_by = CASE WHEN $6::boolean THEN $4 ELSE claimed_by END
       WHERE id = $1 AND status IN ('open', 'claimed') RETURNING *`,
      [input.id, input.outcome, input.note ?? null, input.actor, input.keyWorker ?? null, takenFrom !== null, input.completedAt ?? null],
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
