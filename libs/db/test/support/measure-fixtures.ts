import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/migrate';

/** A database of its own (created, migrated, dropped), so that counts are of this test's patients only. */
export async function scratchDatabase(url: string, prefix: string): Promise<{ pool: pg.Pool; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const pool = new pg.Pool({ connectionString: url.replace(/\/[^/]+$/, `/${name}`), max: 4 });
  // DROP … WITH (FORCE) below ends any connection still closing; that is the point, not an error.
  pool.on('error', () => undefined);
  admin.on('error', () => undefined);
  await migrate(pool);
  return {
    pool,
    drop: async () => {
      await pool.end();
      // Let the closed connections' backends exit before the database goes (bounded: 5 s).
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface TaskRow {
  type: string;
  queue?: string;
  status?: 'open' | 'claimed' | 'done' | 'cancelled';
  dueAt: string;
  createdAt?: string;
  completedAt?: string;
  commandId?: string;
  subject?: string;
  keyWorker?: string;
  completedBy?: string;
  sourceEventId?: string;
}

/** Writes the facts and tasks a pathway would have written, for hand-computed cohorts. */
export class CohortWriter {
  constructor(private readonly pool: pg.Pool) {}

  /** A fact as a step stores it; `recordedAt` (default now) is when the pathway learned of it. */
  async fact(patientId: string, name: string, value: unknown, at: string, evidence: Record<string, unknown> = {}, recordedAt?: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO pathway_fact (idempotency_key, patient_id, name, value, at, rule, evidence, recorded_at)
       VALUES ($1, $2, $3, $4, $5, 'test', $6, COALESCE($7::timestamptz, now()))`,
      [randomUUID(), patientId, name, JSON.stringify(value), at, JSON.stringify(evidence), recordedAt ?? null],
    );
  }

  async task(patientId: string, t: TaskRow): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO task (idempotency_key, patient_id, workflow_id, command_id, type, subject, queue, priority, status, due_at, created_at,
                         completed_at, completed_by, key_worker, reason_rule, reason_evidence, source_event_id)
       VALUES ($1, $2, 'wf-' || $2, $3, $4, $5, $6, 'soon', $7, $8, COALESCE($9::timestamptz, now()), $10, $11, $12, 'test', '{}', $13) RETURNING id`,
      [
        randomUUID(),
        patientId,
        t.commandId ?? randomUUID(),
        t.type,
        t.subject ?? t.type,
        t.queue ?? 'oncology',
        t.status ?? 'open',
        t.dueAt,
        t.createdAt ?? null,
        t.completedAt ?? null,
        t.completedBy ?? null,
        t.keyWorker ?? null,
        t.sourceEventId ?? null,
      ],
    );
    return rows[0]!.id;
  }

  async diagnosed(patientId: string, diagnosedAt: string): Promise<void> {
    await this.fact(patientId, 'advanced-diagnosis', { cancerType: 'C34.9', diagnosedAt, medianSurvivalMonths: null }, `${diagnosedAt}T09:00:00Z`);
  }

  async registered(patientId: string, at: string, attrs: Record<string, unknown>): Promise<void> {
    await this.fact(patientId, 'equity', { livesAlone: null, rural: null, deprivationQuintile: null, interpreterNeeded: null, ...attrs }, at);
  }

  async died(patientId: string, at: string, placeOfDeath: string, preferred: string | null = null): Promise<void> {
    await this.fact(patientId, 'death', { placeOfDeath, preferred, concordant: preferred === null ? null : preferred === placeOfDeath }, at);
  }
}
