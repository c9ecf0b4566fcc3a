import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

/**
 * A pathway that ended (migration 018, ADR 0017): its closure and what its workflow carried when it
 * ended. `carried` is the workflow's own carry-over (workflows contract `PathwayCarryOver`), stored
 * as it is; this module does not read inside it.
 */
export interface PathwayEnd<Carried> {
  patientId: string;
  workflowId: string;
  runId: string;
  reason: string;
  closedAt: string;
  endedAt: string;
  /** The run's history length when it recorded this end. */
  sequence: number;
  /** Every write adds one (optimistic concurrency for `rememberAfterEnd`). */
  version: number;
  carried: Carried;
}

/**
 * Records that a pathway ended (the worker, before its workflow completes). Another run's end
 * replaces it; the same run's replaces it only when later (`sequence`), so a retry of an earlier
 * write that lands late changes nothing.
 */
export async function recordPathwayEnd<C>(db: Db, end: Omit<PathwayEnd<C>, 'endedAt' | 'version'>): Promise<void> {
  await db.query({
    name: 'tandem-record-pathway-end',
    text: `INSERT INTO pathway_end (patient_id, workflow_id, run_id, reason, closed_at, sequence, carried) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (patient_id) DO UPDATE SET workflow_id = EXCLUDED.workflow_id, run_id = EXCLUDED.run_id, reason = EXCLUDED.reason,
             closed_at = EXCLUDED.closed_at, ended_at = now(), sequence = EXCLUDED.sequence, version = pathway_end.version + 1, carried = EXCLUDED.carried
           WHERE pathway_end.run_id <> EXCLUDED.run_id OR pathway_end.sequence < EXCLUDED.sequence`,
    values: [end.patientId, end.workflowId, end.runId, end.reason, end.closedAt, end.sequence, JSON.stringify(end.carried)],
  });
}

/** The pathway's end, if it ended (its workflow completed with its duties over). */
export async function pathwayEndOf<C>(db: Db, patientId: string): Promise<PathwayEnd<C> | undefined> {
  const r = await db.query<{
    workflow_id: string;
    run_id: string;
    reason: string;
    closed_at: Date;
    ended_at: Date;
    sequence: string;
    version: string;
    carried: C;
  }>({
    name: 'tandem-pathway-end-of',
    text: `SELECT workflow_id, run_id, reason, closed_at, ended_at, sequence, version, carried FROM pathway_end WHERE patient_id = $1`,
    values: [patientId],
  });
  const row = r.rows[0];
  return row
    ? {
        patientId,
        workflowId: row.workflow_id,
        runId: row.run_id,
        reason: row.reason,
        closedAt: row.closed_at.toISOString(),
        endedAt: row.ended_at.toISOString(),
        sequence: Number(row.sequence),
        version: Number(row.version),
        carried: row.carried,
      }
    : undefined;
}

/**
 * What an ended pathway remembers of a late event that asked for no run (the kafka-bridge): its
 * carried state and window, updated only if nobody wrote since `version` was read. False when
 * someone did: read it again and judge the event again.
 */
export async function rememberAfterEnd<C>(db: Db, patientId: string, version: number, carried: C): Promise<boolean> {
  const r = await db.query({
    name: 'tandem-remember-after-end',
    text: `UPDATE pathway_end SET carried = $3, version = version + 1 WHERE patient_id = $1 AND version = $2`,
    values: [patientId, version, JSON.stringify(carried)],
  });
  return (r.rowCount ?? 0) === 1;
}
