import type { Pool } from 'pg';
import type { EquityGroup, MeasuresReport, MeasureTallies, Period } from '@tandem/domain';
import { buildReport, periodBounds } from '@tandem/domain';
import { cohortTallies, liveTallies } from './query';

/** The figures only Kafka knows (docs/contract.md section 7 `ops.consumer-lag`, `ops.parked-events`); null when it cannot be asked. */
export interface StreamFigures {
  consumerLag: number | null;
  parkedEvents: number | null;
}

export interface ReportRequest extends Period {
  now: Date;
  team?: string;
  group?: EquityGroup;
  streams?: () => Promise<StreamFigures>;
}

const count = (n: number | null) => (n === null ? undefined : { total: { n, k: 0, value: n } });

/** Every measure for a period, team and split: the cohort tallies, the live figures, the stream figures. */
export async function measuresReport(pool: Pool, r: ReportRequest): Promise<MeasuresReport> {
  const q = { ...periodBounds(r), now: r.now.toISOString(), team: r.team, group: r.group };
  const [cohort, live, streams] = await Promise.all([
    cohortTallies(pool, q),
    liveTallies(pool, q),
    r.streams ? r.streams() : Promise.resolve<StreamFigures>({ consumerLag: null, parkedEvents: null }),
  ]);
  const tallies: MeasureTallies = { ...live };
  for (const [id, total] of cohort.totals) tallies[id] = { total, groups: cohort.groups.get(id) };
  const lag = count(streams.consumerLag);
  const parked = count(streams.parkedEvents);
  if (lag) tallies['ops.consumer-lag'] = lag;
  if (parked) tallies['ops.parked-events'] = parked;
  const report = buildReport(tallies, { from: r.from, to: r.to, team: r.team, group: r.group, generatedAt: r.now.toISOString() });
  // A stream figure that could not be read is null, not 0: "nothing waiting" would be a claim.
  for (const m of report.measures) if ((m.id === 'ops.consumer-lag' && !lag) || (m.id === 'ops.parked-events' && !parked)) m.value = null;
  return report;
}
