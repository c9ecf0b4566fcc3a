import { Inject, Injectable } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger, TandemConfig } from '@tandem/config';
import type { DrillDownItem, StreamFigures } from '@tandem/db';
import { decodeDrillCursor, drillDown, cohortTrend, measuresReport, refreshDirtyMeasures, replayedDlqOffsets } from '@tandem/db';
import type { CohortMeasureId, MeasureId, MeasuresReport, Period, Queue, TeamTable } from '@tandem/domain';
import { figureOf, lastMonths, measureById, periodBounds, protectCells, QUEUES, requestedPeriod, suppressReport, suppressSmall } from '@tandem/domain';
import { consumerLag, parkedRecords, topicNames } from '@tandem/kafka';
import type { Principal } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { CONFIG, KAFKA_ADMIN, LOGGER, PG_POOL } from '../tokens';
import type { DrillDownQuery, MeasuresQuery, TrendQuery } from './measures.schemas';

/** A drill-down's rows, for the controller's signature (controllers do not import @tandem/db). */
export type { DrillDownItem };

/** A stream figure is worth waiting for this long; past it the figure is null, the rest answers. */
const STREAMS_TIMEOUT_MS = 2_000;

/** `ops` alone sees aggregates with small numbers suppressed; a clinical role or `admin` sees exact figures. */
export const seesExactFigures = (p: Principal): boolean => p.roles.some((r) => r !== 'ops');

export interface TrendPoint {
  month: string;
  numerator?: number | null;
  denominator?: number | null;
  value: number | null;
  ci?: [number, number] | null;
  suppressed?: true;
}

@Injectable()
export class MeasuresService {
  private refreshing: Promise<void> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(CONFIG) private readonly config: TandemConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * Folds every change so far into the measure items before an answer; concurrent callers share one
   * pass. Between requests the worker that leads does it for the whole system (apps/worker/src/measures-refresh.ts).
   */
  refresh(): Promise<void> {
    this.refreshing ??= refreshDirtyMeasures(this.pool)
      .then(() => undefined)
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async report(q: MeasuresQuery, who: Principal, now = new Date()): Promise<MeasuresReport> {
    await this.fresh();
    const period = this.period(q, now);
    const report = await measuresReport(this.pool, { ...period, now, team: q.team, group: q.group, streams: () => this.streams() });
    if (seesExactFigures(who)) return report;
    return suppressReport(report, q.team ? await this.teamTable(q.team, period, now) : undefined);
  }

  /**
   * Every team's figures for a period, for `ops`: a team's task-based figure is a cell of the split
   * of the whole by team, protected among the others (complementary suppression, docs/measures.md).
   */
  private async teamTable(team: string, period: Period, now: Date): Promise<TeamTable> {
    const [all, ...each] = await Promise.all([undefined, ...QUEUES].map((t) => measuresReport(this.pool, { ...period, now, team: t })));
    return { team, all: all!, teams: Object.fromEntries(QUEUES.map((t, i) => [t, each[i]!])) };
  }

  async patients(id: MeasureId, q: DrillDownQuery, now = new Date()) {
    const def = measureById(id)!;
    if (def.basis !== 'cohort') throw new DomainError('no-drill-down', `${id} is an operations figure: it has no patients behind it`);
    const after = q.cursor === undefined ? undefined : decodeDrillCursor(q.cursor);
    if (q.cursor !== undefined && !after) throw new DomainError('invalid-request', 'the cursor is not valid');
    await this.fresh();
    const period = this.period(q, now);
    return drillDown(this.pool, id as CohortMeasureId, {
      ...periodBounds(period),
      now: now.toISOString(),
      team: q.team,
      group: q.group,
      key: q.key,
      in: q.in,
      after,
      limit: q.limit,
    });
  }

  async trend(id: MeasureId, q: TrendQuery, who: Principal, now = new Date()): Promise<{ id: MeasureId; unit: string; team?: string; months: TrendPoint[] }> {
    const def = measureById(id)!;
    const months = lastMonths(now, q.months);
    await this.fresh();
    const q0 = { now: now.toISOString(), team: q.team, start: '', end: '' };
    let tallies;
    if (def.basis === 'cohort') tallies = await cohortTrend(this.pool, id as CohortMeasureId, q0, months);
    else throw new DomainError('no-trend', `${id} is a figure of now: it has no monthly trend`);
    const exact = seesExactFigures(who);
    if (!exact && q.team && def.byTeam) {
      // A team's month is a cell of that month's split by team: protected among every team's (docs/measures.md).
      const whole = await cohortTrend(this.pool, id as CohortMeasureId, { ...q0, team: undefined }, months);
      const teams = await Promise.all(QUEUES.map((t) => cohortTrend(this.pool, id as CohortMeasureId, { ...q0, team: t }, months)));
      const none = { n: 0, k: 0, value: null };
      return {
        id,
        unit: def.unit,
        team: q.team,
        months: months.map((m) => {
          const cells = teams.map((t) => figureOf(def, t.get(m.month) ?? none));
          const shown = protectCells(def, def.unit, suppressSmall(figureOf(def, whole.get(m.month) ?? none), def.unit), cells, QUEUES)[
            QUEUES.indexOf(q.team as Queue)
          ]!;
          return { month: m.month, ...shown };
        }),
      };
    }
    return {
      id,
      unit: def.unit,
      ...(q.team ? { team: q.team } : {}),
      months: months.map((m) => {
        const f = figureOf(def, tallies.get(m.month) ?? { n: 0, k: 0, value: null });
        return { month: m.month, ...(exact ? f : suppressSmall(f, def.unit)) };
      }),
    };
  }

  /** A request's period (requestedPeriod: `to` alone is the year ending there); a start after its end is a 400. */
  private period(q: { from?: string; to?: string }, now: Date): Period {
    const p = requestedPeriod(q, now);
    if (p.from > p.to) throw new DomainError('invalid-request', 'the period is not valid', [{ path: 'from', message: 'from must not be after to' }]);
    return p;
  }

  private async fresh(): Promise<void> {
    try {
      await this.refresh();
    } catch (e) {
      // Figures a few seconds old beat no figures: the next pass catches up.
      this.log.warn('measure refresh failed', { error: (e as Error).message });
    }
  }

  private async streams(): Promise<StreamFigures> {
    const topics = topicNames(this.config.kafka.topicSuffix);
    const within = <T>(p: Promise<T>): Promise<T | null> =>
      Promise.race([p, new Promise<null>((resolve) => setTimeout(() => resolve(null), STREAMS_TIMEOUT_MS).unref())]).catch(() => null);
    const [lag, parked] = await Promise.all([
      within(consumerLag(this.admin, this.config.bridge.groupId, topics.clinicalEvents).then((ps) => ps.reduce((a, p) => a + p.lag, 0))),
      within(parkedRecords(this.admin, topics.clinicalEventsDlq, (partition) => replayedDlqOffsets(this.pool, topics.clinicalEventsDlq, partition))),
    ]);
    return { consumerLag: lag, parkedEvents: parked };
  }
}
