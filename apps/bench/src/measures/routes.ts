import type { Pool } from 'pg';
import { EQUITY_GROUP_NAMES } from '@tandem/domain';

/** Every measures route the benchmark times: the report, each split, a team, a partial-month period, trend, drill-down, digests. */
export const ROUTES: Array<{ path: string; role: 'clinician' | 'ops' }> = [
  { path: '/api/v1/measures', role: 'clinician' },
  { path: '/api/v1/measures', role: 'ops' },
  ...EQUITY_GROUP_NAMES.map((g) => ({ path: `/api/v1/measures?group=${g}`, role: 'clinician' as const })),
  { path: '/api/v1/measures?team=oncology', role: 'clinician' },
  { path: '/api/v1/measures?from=2026-01-15&to=2026-10-20&group=deprivation', role: 'clinician' },
  { path: '/api/v1/measures/symptoms.prom-completion/trend?months=12', role: 'clinician' },
  { path: '/api/v1/measures/timeliness.days-to-specialist-median/trend?months=12', role: 'ops' },
  { path: '/api/v1/measures/eol.death-in-hospital/patients?limit=100', role: 'clinician' },
  { path: '/api/v1/measures/symptoms.prom-completion/patients?group=age&key=%3E%3D75&in=numerator&limit=100', role: 'clinician' },
  { path: '/api/v1/digests', role: 'ops' },
];

/** The query plans behind the report (EXPLAIN ANALYZE of the tally and median reads), for docs/benchmarks.md. */
export async function planSummary(pool: Pool): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 7)}-01`;
  const explain = async (title: string, sql: string) => {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`);
    return `## ${title}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`;
  };
  return [
    await explain(
      'month tallies of a year, all + deprivation',
      `SELECT measure_id, dim, key, sum(n), sum(k) FROM measure_tally_month
        WHERE dim = ANY('{all,deprivation}') AND month >= date_trunc('month', now() - interval '11 months')::date AND month < '${monthStart}'::date
          AND known_month < '${monthStart}'::date GROUP BY 1, 2, 3`,
    ),
    await explain(
      'day tallies at the edges',
      `SELECT measure_id, dim, key, sum(n), sum(k) FROM measure_tally
        WHERE dim = ANY('{all,deprivation}') AND day >= '${monthStart}'::date AND day <= '${today}'::date AND known_day < '${today}'::date GROUP BY 1, 2, 3`,
    ),
    await explain(
      'medians (days to specialist), split by deprivation',
      `SELECT measure_id, key, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY value)
         FROM (SELECT measure_id, value, measure_split_key('deprivation', age_75, lives_alone, rural, deprivation, interpreter_needed) AS key FROM measure_item
                WHERE measure_id = 'timeliness.days-to-specialist-median' AND value IS NOT NULL AND index_at >= now() - interval '365 days') i
        GROUP BY GROUPING SETS ((measure_id), (measure_id, key))`,
    ),
  ].join('\n');
}
