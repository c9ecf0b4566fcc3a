import type { Pool, PoolClient } from 'pg';
import type { PathwayCommand } from '@tandem/domain';
import type { StepContext } from './step-ops';
import { stepOps } from './step-ops';
import type { PromLinks } from './prom-links';

export type { StepContext } from './step-ops';

/**
 * Carries out one pathway step's commands — tasks, task history, notifications and pathway events
 * into the outbox, facts — in one statement, so in one transaction: `stepOps` decides every write,
 * `tandem_carry_out` (libs/db/migrations/R__carry_out.sql) runs them in order. One round trip per step instead of one per
 * write, and a named statement whose plan PostgreSQL keeps (ADR 0010, docs/benchmarks.md). Every
 * write is idempotent (workflow id + command id, UNIQUE), so a retried step has the effect of one.
 * Returns the ids of the tasks opened (or found opened by an earlier try), by command id.
 */
export async function writeCommands(
  db: Pool | PoolClient,
  step: StepContext,
  commands: readonly PathwayCommand[],
  links?: PromLinks,
): Promise<Record<string, string>> {
  const ops = stepOps(step, commands, undefined, links ? await links.forCommands(step.patientId, commands) : {});
  if (ops.length === 0) return {};
  const r = await db.query<{ task_ids: Record<string, string> }>({
    name: 'tandem-carry-out',
    text: 'SELECT tandem_carry_out($1, $2, $3::jsonb) AS task_ids',
    values: [step.workflowId, step.patientId, JSON.stringify(ops)],
  });
  return r.rows[0]?.task_ids ?? {};
}

/** Records a step whose writes failed for good (once per step and error code). */
export async function recordStepFailure(db: Pool, f: { workflowId: string; stepKey?: string; type: string; sqlstate: string }): Promise<void> {
  await db.query(
    `INSERT INTO step_failure (workflow_id, step_key, type, sqlstate) VALUES ($1, $2, $3, $4) ON CONFLICT (workflow_id, step_key, sqlstate) DO NOTHING`,
    [f.workflowId, f.stepKey ?? null, f.type, f.sqlstate],
  );
}

/** Failed steps by error type, for the metrics. */
export async function stepFailureCounts(db: Pool): Promise<Array<{ type: string; count: number }>> {
  const r = await db.query<{ type: string; n: number }>(`SELECT type, count(*)::int AS n FROM step_failure GROUP BY type`);
  return r.rows.map((x) => ({ type: x.type, count: x.n }));
}
