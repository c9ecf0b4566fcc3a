import type { Pool } from 'pg';
import type { CohortMeasureId, EquityGroup, LiveMeasureId, Tally } from '@tandem/domain';
import { MEASURE_CATALOGUE } from '@tandem/domain';

/** The equity split of an item row (CONTRACT section 7 keys). */
export const GROUP_KEY: Record<EquityGroup, string> = {
  age: `CASE WHEN age_75 IS NULL THEN 'unknown' WHEN age_75 THEN '>=75' ELSE '<75' END`,
  livesAlone: `COALESCE(lives_alone::text, 'unknown')`,
  rural: `COALESCE(rural::text, 'unknown')`,
  interpreterNeeded: `COALESCE(interpreter_needed::text, 'unknown')`,
  deprivation: `COALESCE(deprivation::text, 'unknown')`,
};

export interface MeasureQuery {
  /** [start, end) instants of the period. */
  start: string;
  end: string;
  /** "Now": a row whose result is not known by then is left out (the follow-up rule). */
  now: string;
  team?: string;
  group?: EquityGroup;
}

const cohortIds = MEASURE_CATALOGUE.filter((m) => m.basis === 'cohort').map((m) => m.id) as CohortMeasureId[];
const teamIds = MEASURE_CATALOGUE.filter((m) => m.basis === 'cohort' && m.byTeam).map((m) => m.id);

/** Rows counted: in the period, known by now, in the team's queue for task-based measures. */
const COUNTED = `index_at >= $1 AND index_at < $2 AND (in_numerator OR known_at IS NULL OR known_at <= $3)
  AND ($4::text IS NULL OR queue = $4 OR NOT (measure_id = ANY($5::text[])))`;

const TALLY = `count(*)::int AS n, (count(*) FILTER (WHERE in_numerator))::int AS k,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median, avg(value) AS mean`;

interface TallyRow {
  measure_id: CohortMeasureId;
  key: string | null;
  n: number;
  k: number;
  median: number | null;
  mean: number | null;
}

export interface CohortTallies {
  totals: Map<CohortMeasureId, Tally>;
  groups: Map<CohortMeasureId, Map<string, Tally>>;
}

const tallyOf = (id: CohortMeasureId, r: TallyRow): Tally => {
  const def = MEASURE_CATALOGUE.find((m) => m.id === id)!;
  return { n: r.n, k: r.k, value: def.aggregate === 'median' ? r.median : def.aggregate === 'mean' ? r.mean : null };
};

/** Every cohort measure's tally in one scan of the items (and per group when a split is asked for). */
export async function cohortTallies(pool: Pool, q: MeasureQuery, ids: readonly CohortMeasureId[] = cohortIds): Promise<CohortTallies> {
  const key = q.group ? GROUP_KEY[q.group] : 'NULL::text';
  const grouping = q.group ? 'GROUPING SETS ((measure_id), (measure_id, key))' : 'measure_id';
  const { rows } = await pool.query<TallyRow>(
    `SELECT measure_id, ${q.group ? `CASE WHEN GROUPING(key) = 0 THEN key END` : 'NULL'} AS key, ${TALLY}
       FROM (SELECT *, ${key} AS key FROM measure_item WHERE measure_id = ANY($6::text[]) AND ${COUNTED}) i
      GROUP BY ${grouping}`,
    [q.start, q.end, q.now, q.team ?? null, teamIds, ids],
  );
  const totals = new Map<CohortMeasureId, Tally>();
  const groups = new Map<CohortMeasureId, Map<string, Tally>>();
  for (const r of rows) {
    if (r.key === null) totals.set(r.measure_id, tallyOf(r.measure_id, r));
    else {
      const m = groups.get(r.measure_id) ?? new Map<string, Tally>();
      m.set(r.key, tallyOf(r.measure_id, r));
      groups.set(r.measure_id, m);
    }
  }
  return { totals, groups };
}

/** One cohort measure month by month (the trend): the same counting rule, grouped by calendar month (UTC). */
export async function cohortTrend(pool: Pool, id: CohortMeasureId, q: MeasureQuery): Promise<Map<string, Tally>> {
  const { rows } = await pool.query<TallyRow & { month: string }>(
    `SELECT measure_id, NULL AS key, to_char(date_trunc('month', index_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, ${TALLY}
       FROM measure_item WHERE measure_id = ANY($6::text[]) AND ${COUNTED}
      GROUP BY measure_id, month`,
    [q.start, q.end, q.now, q.team ?? null, teamIds, [id]],
  );
  return new Map(rows.map((r) => [r.month, tallyOf(id, r)]));
}

export interface DrillDownItem {
  patientId: string;
  indexDate: string;
  inNumerator: boolean;
}

/** Cursor: the last row's (index_at, patient_id, item_key), opaque to callers. */
export const encodeDrillCursor = (r: { index_at: Date; patient_id: string; item_key: string }): string =>
  Buffer.from(JSON.stringify([r.index_at.toISOString(), r.patient_id, r.item_key])).toString('base64url');

export function decodeDrillCursor(cursor: string): [string, string, string] | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string') && !Number.isNaN(Date.parse(v[0] as string)))
      return v as [string, string, string];
  } catch {
    /* not a cursor of ours */
  }
  return undefined;
}

/** The patients behind a cohort measure (CONTRACT section 7 drill-down), oldest index date first. */
export async function drillDown(
  pool: Pool,
  id: CohortMeasureId,
  q: MeasureQuery & { key?: string; in?: 'numerator' | 'denominator'; after?: [string, string, string]; limit: number },
): Promise<{ items: DrillDownItem[]; nextCursor: string | null }> {
  const byKey = q.group && q.key !== undefined ? `AND ${GROUP_KEY[q.group]} = $7` : 'AND $7::text IS NULL';
  const { rows } = await pool.query<{ patient_id: string; index_at: Date; item_key: string; in_numerator: boolean }>(
    `SELECT patient_id, index_at, item_key, in_numerator FROM measure_item
      WHERE measure_id = ANY($6::text[]) AND ${COUNTED} ${byKey}
        AND ($8::boolean IS NULL OR in_numerator = $8)
        AND ($9::timestamptz IS NULL OR (index_at, patient_id, item_key) > ($9, $10, $11))
      ORDER BY index_at, patient_id, item_key LIMIT $12`,
    [
      q.start,
      q.end,
      q.now,
      q.team ?? null,
      teamIds,
      [id],
      q.group && q.key !== undefined ? q.key : null,
      q.in === 'numerator' ? true : null,
      q.after?.[0] ?? null,
      q.after?.[1] ?? null,
      q.after?.[2] ?? null,
      q.limit + 1,
    ],
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ patientId: r.patient_id, indexDate: r.index_at.toISOString().slice(0, 10), inNumerator: r.in_numerator })),
    nextCursor: rows.length > q.limit && last ? encodeDrillCursor(last) : null,
  };
}

export type LiveTallies = Partial<Record<LiveMeasureId, { total: Tally; groups?: Map<string, Tally> }>>;

/** The operations figures PostgreSQL holds (tasks, pathways, the event log). */
export async function liveTallies(pool: Pool, q: MeasureQuery): Promise<LiveTallies> {
  const team = q.team ?? null;
  const [queues, sla, escalations, caseload, latency] = await Promise.all([
    pool.query<{ queue: string; open: number; overdue: number }>(
      `SELECT queue, count(*)::int AS open, (count(*) FILTER (WHERE due_at < $1))::int AS overdue
         FROM task WHERE status IN ('open', 'claimed') AND ($2::text IS NULL OR queue = $2) GROUP BY queue ORDER BY queue`,
      [q.now, team],
    ),
    pool.query<{ n: number; k: number }>(
      `SELECT (count(*) FILTER (WHERE (status = 'done' AND completed_at <= due_at) OR due_at <= $3))::int AS n,
              (count(*) FILTER (WHERE status = 'done' AND completed_at <= due_at))::int AS k
         FROM task WHERE due_at >= $1 AND due_at < $2 AND status <> 'cancelled' AND ($4::text IS NULL OR queue = $4)`,
      [q.start, q.end, q.now, team],
    ),
    pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM task WHERE created_at >= $1 AND created_at < $2 AND type = 'escalation' AND ($3::text IS NULL OR queue = $3)`,
      [q.start, q.end, team],
    ),
    pool.query<{ n: number; median: number | null }>(
      `SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY pathways) AS median
         FROM (SELECT key_worker, count(*) AS pathways FROM measure_patient
                WHERE key_worker IS NOT NULL AND stage IN ('enrolled', 'concurrent-care', 'specialist-involvement', 'end-of-life')
                GROUP BY key_worker) w`,
    ),
    pool.query<{ n: number; p95: number | null }>(
      `SELECT count(*)::int AS n, percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM t.created_at - e.produced_at)) AS p95
         FROM task t JOIN clinical_event e ON e.id = t.source_event_id
        WHERE t.created_at > $1::timestamptz - interval '24 hours' AND t.created_at <= $1 AND e.produced_at IS NOT NULL
          AND ($2::text IS NULL OR t.queue = $2)`,
      [q.now, team],
    ),
  ]);
  const count = (n: number): Tally => ({ n, k: 0, value: n });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    'ops.open-tasks': { total: count(sum(queues.rows.map((r) => r.open))), groups: new Map(queues.rows.map((r) => [r.queue, count(r.open)])) },
    'ops.overdue-tasks': { total: count(sum(queues.rows.map((r) => r.overdue))), groups: new Map(queues.rows.map((r) => [r.queue, count(r.overdue)])) },
    'ops.sla-attainment': { total: { n: sla.rows[0]?.n ?? 0, k: sla.rows[0]?.k ?? 0, value: null } },
    'ops.escalations': { total: count(escalations.rows[0]?.n ?? 0) },
    'ops.caseload-median': { total: { n: caseload.rows[0]?.n ?? 0, k: 0, value: caseload.rows[0]?.median ?? null } },
    'ops.event-to-task-p95': { total: { n: latency.rows[0]?.n ?? 0, k: 0, value: latency.rows[0]?.p95 ?? null } },
  };
}
