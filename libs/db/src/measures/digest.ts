import type { Pool } from 'pg';
import type { MeasureFigure, Period } from '@tandem/domain';
import { measuresReport } from './report';
import { pathwayEvent } from '../pathway-events';

/** A measure in a digest: last week's figure and the change from the week before (same unit; null when either is). */
export interface DigestMeasure extends MeasureFigure {
  previous: { numerator?: number | null; denominator?: number | null; value: number | null; suppressed?: true };
  change: number | null;
}

export interface Digest {
  id: string;
  team: string;
  weekStart: string;
  weekEnd: string;
  generatedAt: string;
  measures: DigestMeasure[];
}

export type DigestSummary = Omit<Digest, 'measures'>;

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The week's measures for a team beside the week before's (docs/contract.md section 7 digests). */
export async function digestMeasures(pool: Pool, team: string, weeks: { last: Period; before: Period }, now: Date): Promise<DigestMeasure[]> {
  const [last, before] = await Promise.all([measuresReport(pool, { ...weeks.last, now, team }), measuresReport(pool, { ...weeks.before, now, team })]);
  return last.measures.map((m, i) => {
    const p = before.measures[i]!;
    return {
      ...m,
      previous: {
        ...(p.numerator !== undefined ? { numerator: p.numerator } : {}),
        ...(p.denominator !== undefined ? { denominator: p.denominator } : {}),
        value: p.value,
      },
      change: m.value === null || p.value === null ? null : round1(m.value - p.value),
    };
  });
}

/**
 * Stores a team's digest for a week once (a schedule firing twice, or `digest --now` after it, keeps
 * the first) and queues `tandem.digest.weekly` on `pathway-events` in the same transaction.
 * Returns the digest and whether this call stored it.
 */
export async function storeDigest(
  pool: Pool,
  d: { team: string; week: Period; measures: DigestMeasure[] },
): Promise<{ digest: DigestSummary; created: boolean }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query<{ id: string; generated_at: Date }>(
      `INSERT INTO digest (team, week_start, week_end, measures) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team, week_start) DO NOTHING RETURNING id, generated_at`,
      [d.team, d.week.from, d.week.to, JSON.stringify(d.measures)],
    );
    const row =
      inserted.rows[0] ??
      (await client.query<{ id: string; generated_at: Date }>('SELECT id, generated_at FROM digest WHERE team = $1 AND week_start = $2', [d.team, d.week.from]))
        .rows[0]!;
    const digest: DigestSummary = { id: row.id, team: d.team, weekStart: d.week.from, weekEnd: d.week.to, generatedAt: row.generated_at.toISOString() };
    if (inserted.rows[0]) {
      // Keyed by the team (a digest is about no one patient); consumers read the figures from the API.
      const event = pathwayEvent(
        'tandem.digest.weekly',
        `team:${d.team}`,
        {
          digestId: digest.id,
          team: d.team,
          weekStart: digest.weekStart,
          weekEnd: digest.weekEnd,
          missedTargets: d.measures.filter((m) => m.meetsTarget === false).map((m) => m.id),
        },
        { source: 'tandem/measures', time: digest.generatedAt },
      );
      await client.query(`INSERT INTO outbox (idempotency_key, topic, patient_id, payload) VALUES ($1, 'pathway-events', $2, $3) ON CONFLICT DO NOTHING`, [
        `digest/${digest.id}`,
        `team:${d.team}`,
        JSON.stringify(event),
      ]);
    }
    await client.query('COMMIT');
    return { digest, created: inserted.rows.length > 0 };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

interface DigestRow {
  id: string;
  team: string;
  week_start: string;
  week_end: string;
  generated_at: Date;
  measures?: DigestMeasure[];
}
const summary = (r: DigestRow): DigestSummary => ({
  id: r.id,
  team: r.team,
  weekStart: r.week_start,
  weekEnd: r.week_end,
  generatedAt: r.generated_at.toISOString(),
});

/** Digests newest week first, for one team or all (at most `limit`). */
export async function listDigests(pool: Pool, team?: string, limit = 100): Promise<DigestSummary[]> {
  const { rows } = await pool.query<DigestRow>(
    `SELECT id, team, to_char(week_start, 'YYYY-MM-DD') AS week_start, to_char(week_end, 'YYYY-MM-DD') AS week_end, generated_at
       FROM digest WHERE ($1::text IS NULL OR team = $1) ORDER BY week_start DESC, team LIMIT $2`,
    [team ?? null, limit],
  );
  return rows.map(summary);
}

export async function getDigest(pool: Pool, id: string): Promise<Digest | undefined> {
  const { rows } = await pool.query<DigestRow>(
    `SELECT id, team, to_char(week_start, 'YYYY-MM-DD') AS week_start, to_char(week_end, 'YYYY-MM-DD') AS week_end, generated_at, measures FROM digest WHERE id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? { ...summary(r), measures: r.measures ?? [] } : undefined;
}

/** Every team's digest of one week (the split by team `ops` sees a team's figures within). */
export async function digestsOfWeek(pool: Pool, weekStart: string): Promise<Digest[]> {
  const { rows } = await pool.query<DigestRow>(
    `SELECT id, team, to_char(week_start, 'YYYY-MM-DD') AS week_start, to_char(week_end, 'YYYY-MM-DD') AS week_end, generated_at, measures
       FROM digest WHERE week_start = $1 ORDER BY team`,
    [weekStart],
  );
  return rows.map((r) => ({ ...summary(r), measures: r.measures ?? [] }));
}
