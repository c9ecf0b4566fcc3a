import type { Pool } from 'pg';
import type { CohortMeasureId, EquityGroup, LiveMeasureId, Tally } from '@tandem/domain';
import { isoDate, MEASURE_CATALOGUE, periodBounds, wholeMonths } from '@tandem/domain';

export interface MeasureQuery {
  /** [start, end) instants of the period: UTC midnights (libs/domain periodBounds). */
  start: string;
  end: string;
  /** "Now": a row whose result is not known by then is left out (the follow-up rule). */
  now: string;
  team?: string;
  group?: EquityGroup;
}

const cohortDefs = MEASURE_CATALOGUE.filter((m) => m.basis === 'cohort');
const cohortIds = cohortDefs.map((m) => m.id) as CohortMeasureId[];
const teamIds = cohortDefs.filter((m) => m.byTeam).map((m) => m.id);
const medianIds = cohortDefs.filter((m) => m.aggregate === 'median').map((m) => m.id);

/** An item row counted by `now`: in the numerator, without a follow-up window, or past it (exact to the instant). */
const KNOWN = `(in_numerator OR known_at IS NULL OR known_at <= $3)`;
/** In the team's queue, for the task-based measures; `$4` the team, `$5` the task-based ids. */
const IN_TEAM = `($4::text IS NULL OR queue = $4 OR NOT (measure_id = ANY($5::text[])))`;
/** The UTC date of a period bound (an instant at a UTC midnight). */
const day = (instant: string) => instant.slice(0, 10);

interface TallyRow {
  measure_id: CohortMeasureId;
  dim: string | null;
  key: string;
  n: number;
  k: number;
  value: number | null;
}

export interface CohortTallies {
  totals: Map<CohortMeasureId, Tally>;
  groups: Map<CohortMeasureId, Map<string, Tally>>;
}

/**
 * Every cohort measure's tally (and per key of an equity split): summed from the month and day
 * tallies for results known before today, plus the item rows whose result became known today
 * (judged to the instant), plus the medians from the items themselves (a median cannot be summed).
 * ADR 0012.
 */
export async function cohortTallies(pool: Pool, q: MeasureQuery, ids: readonly CohortMeasureId[] = cohortIds): Promise<CohortTallies> {
  const dims = ['all', ...(q.group ? [q.group] : [])];
  const summed = ids.filter((id) => !medianIds.includes(id));
  const medians = ids.filter((id) => medianIds.includes(id));
  const today = q.now.slice(0, 10);
  const whole = wholeMonths({ from: day(q.start), to: isoDate(new Date(Date.parse(q.end) - 86_400_000)) });
  const params = [q.start, q.end, q.now, q.team ?? null, teamIds, dims];
  const none = Promise.resolve({ rows: [] as TallyRow[] });
  // A trend asks for one measure: only the query that can count it runs.
  const [sums, meds] = await Promise.all([
    summed.length === 0
      ? none
      : pool.query<TallyRow>({
          name: 'measure-tallies',
          // $8 today, $9 this month's first day, $10/$11 the period's whole months [start, end) (null: none),
          // $12/$13 the period's first day and the day after its last. ADR 0012.
          text: `SELECT measure_id, dim, key, sum(n)::int AS n, sum(k)::int AS k, sum(value_sum) / NULLIF(sum(value_n), 0) AS value FROM (
               -- whole months: the month sums of results known before this month ...
               SELECT measure_id, dim, key, n, k, value_sum, value_n FROM measure_tally_month
                WHERE dim = ANY($6::text[]) AND month >= $10::date AND month < $11::date AND known_month < $9::date
                  AND measure_id = ANY($7::text[]) AND ${IN_TEAM}
               UNION ALL
               -- ... and the day sums of those known this month, before today
               SELECT measure_id, dim, key, n, k, value_sum, value_n FROM measure_tally
                WHERE known_day >= $9::date AND known_day < $8::date AND day >= $10::date AND day < $11::date
                  AND dim = ANY($6::text[]) AND measure_id = ANY($7::text[]) AND ${IN_TEAM}
               UNION ALL
               -- the days at the period's edges (outside its whole months), known before today
               SELECT measure_id, dim, key, n, k, value_sum, value_n FROM measure_tally
                WHERE dim = ANY($6::text[]) AND day >= $12::date AND day < $13::date AND (day < $10::date OR day >= $11::date OR $10::date IS NULL)
                  AND known_day < $8::date AND measure_id = ANY($7::text[]) AND ${IN_TEAM}
               UNION ALL
               -- the items whose result became known today, to the instant
               SELECT i.measure_id, s.dim, s.key, 1, 0, COALESCE(i.value, 0), (i.value IS NOT NULL)::int
                 FROM measure_item i CROSS JOIN LATERAL measure_item_splits(i) s
                WHERE i.measure_id = ANY($7::text[]) AND NOT i.in_numerator AND i.known_at >= $8::date::timestamp AT TIME ZONE 'UTC' AND i.known_at <= $3
                  AND i.index_at >= $1 AND i.index_at < $2 AND s.dim = ANY($6::text[]) AND ${IN_TEAM}
             ) c GROUP BY measure_id, dim, key`,
          values: [...params, summed, today, `${today.slice(0, 7)}-01`, whole?.start ?? null, whole?.end ?? null, day(q.start), day(q.end)],
        }),
    medians.length === 0
      ? none
      : pool.query<TallyRow>({
          name: 'measure-medians',
          text: `SELECT measure_id, CASE WHEN GROUPING(key) = 0 THEN ($6::text[])[2] ELSE 'all' END AS dim, COALESCE(key, '') AS key,
                    count(*)::int AS n, count(*)::int AS k, percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS value
               FROM (SELECT measure_id, value,
                            CASE WHEN ($6::text[])[2] IS NULL THEN NULL ELSE measure_split_key(($6::text[])[2], age_75, lives_alone, rural, deprivation, interpreter_needed) END AS key
                       FROM measure_item
                      WHERE measure_id = ANY($7::text[]) AND value IS NOT NULL AND index_at >= $1 AND index_at < $2 AND ${KNOWN} AND ${IN_TEAM}) i
              GROUP BY GROUPING SETS ((measure_id), (measure_id, key))`,
          values: [...params, medians],
        }),
  ]);
  const totals = new Map<CohortMeasureId, Tally>();
  const groups = new Map<CohortMeasureId, Map<string, Tally>>();
  for (const r of [...sums.rows, ...meds.rows]) {
    if (r.dim === null) continue; // the medians' per-key grouping set when no split was asked for
    const tally: Tally = { n: r.n, k: r.k, value: r.value };
    if (r.dim === 'all') totals.set(r.measure_id, tally);
    else {
      const m = groups.get(r.measure_id) ?? new Map<string, Tally>();
      m.set(r.key, tally);
      groups.set(r.measure_id, m);
    }
  }
  return { totals, groups };
}

/** One cohort measure month by month (the trend): the same counting, grouped by calendar month (UTC). */
export async function cohortTrend(
  pool: Pool,
  id: CohortMeasureId,
  q: MeasureQuery,
  months: ReadonlyArray<{ month: string; from: string; to: string }>,
): Promise<Map<string, Tally>> {
  const out = new Map<string, Tally>();
  // One query per month keeps the counting rule in one place (cohortTallies); a year is 12 small index scans.
  const tallies = await Promise.all(months.map((m) => cohortTallies(pool, { ...q, ...periodBounds(m), group: undefined }, [id])));
  months.forEach((m, i) => out.set(m.month, tallies[i]!.totals.get(id) ?? { n: 0, k: 0, value: null }));
  return out;
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

/** The patients behind a cohort measure (docs/contract.md section 7 drill-down), oldest index date first. */
export async function drillDown(
  pool: Pool,
  id: CohortMeasureId,
  q: MeasureQuery & { key?: string; in?: 'numerator' | 'denominator'; after?: [string, string, string]; limit: number },
): Promise<{ items: DrillDownItem[]; nextCursor: string | null }> {
  const byKey =
    q.group && q.key !== undefined
      ? `AND measure_split_key($13, age_75, lives_alone, rural, deprivation, interpreter_needed) = $7`
      : 'AND $7::text IS NULL AND $13::text IS NULL';
  const { rows } = await pool.query<{ patient_id: string; index_at: Date; item_key: string; in_numerator: boolean }>(
    `SELECT patient_id, index_at, item_key, in_numerator FROM measure_item i
      WHERE measure_id = $6::text AND index_at >= $1 AND index_at < $2 AND ${KNOWN} AND ${IN_TEAM} ${byKey}
        AND ($8::boolean IS NULL OR in_numerator = $8)
        AND ($9::timestamptz IS NULL OR (index_at, patient_id, item_key) > ($9, $10, $11))
      ORDER BY index_at, patient_id, item_key LIMIT $12`,
    [
      q.start,
      q.end,
      q.now,
      q.team ?? null,
      teamIds,
      id,
      q.group && q.key !== undefined ? q.key : null,
      q.in === 'numerator' ? true : null,
      q.after?.[0] ?? null,
      q.after?.[1] ?? null,
      q.after?.[2] ?? null,
      q.limit + 1,
      q.group && q.key !== undefined ? q.group : null,
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
  const [queues, caseload, latency] = await Promise.all([
    pool.query<{ queue: string; open: number; overdue: number }>(
      `SELECT queue, count(*)::int AS open, (count(*) FILTER (WHERE due_at < $1))::int AS overdue
         FROM task WHERE status IN ('open', 'claimed') AND ($2::text IS NULL OR queue = $2) GROUP BY queue ORDER BY queue`,
      [q.now, team],
    ),
    pool.query<{ n: number; median: number | null }>(
      `SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY pathways) AS median
         FROM (SELECT p.key_worker, count(*) AS pathways FROM measure_patient p JOIN pathway_stage s USING (patient_id)
                WHERE p.key_worker IS NOT NULL AND s.stage IN ('enrolled', 'concurrent-care', 'specialist-involvement', 'end-of-life')
                GROUP BY p.key_worker) w`,
    ),
    pool.query<{ n: number; p95: number | null }>(
      `SELECT count(*)::int AS n, percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM t.created_at - e.produced_at)) AS p95
         FROM task t JOIN clinical_event e ON e.id = t.source_event_id AND e.source = coalesce(t.source_event_source, e.source)
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
    'ops.caseload-median': { total: { n: caseload.rows[0]?.n ?? 0, k: 0, value: caseload.rows[0]?.median ?? null } },
    'ops.event-to-task-p95': { total: { n: latency.rows[0]?.n ?? 0, k: 0, value: latency.rows[0]?.p95 ?? null } },
  };
}
