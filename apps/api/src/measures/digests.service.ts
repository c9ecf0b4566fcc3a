import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Digest, DigestMeasure, DigestSummary } from '@tandem/db';
import { digestsOfWeek, getDigest, listDigests } from '@tandem/db';
import { additiveFields, measureById, meetsTarget, protectCells, suppressSmall } from '@tandem/domain';
import type { Principal } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { PG_POOL } from '../tokens';
import { seesExactFigures } from './measures.service';

/** The digest shapes, for the controller's signatures (controllers do not import @tandem/db). */
export type { Digest, DigestSummary };

type Shown = DigestMeasure['previous'];

/**
 * What `ops` sees of a digest: small numbers suppressed this week and last, and no change or target
 * line they would reveal; a task-based figure is a cell of the week's split by team, so it is
 * protected among every team's digest of that week (complementary suppression, docs/measures.md).
 */
function suppressDigest(d: Digest, week: readonly Digest[]): Digest {
  const teams = week.map((w) => w.team);
  const at = teams.indexOf(d.team);
  return {
    ...d,
    measures: d.measures.map((m) => {
      const def = measureById(m.id);
      const protect = (pick: (x: DigestMeasure) => Shown): Shown => {
        if (!def?.byTeam || at < 0) return suppressSmall(pick(m), m.unit);
        const cells = week.map((w) => w.measures.find((x) => x.id === m.id)).map((x) => (x ? pick(x) : { value: 0, numerator: 0, denominator: 0 }));
        // The whole is the teams' sum, which ops can read as the week's figure without a team.
        const whole: Shown = { value: null };
        for (const k of additiveFields(def)) whole[k] = cells.reduce((sum, c) => sum + (c[k] ?? 0), 0);
        return protectCells(def, m.unit, suppressSmall(whole, m.unit), cells, teams)[at]!;
      };
      const now = protect((x) => x);
      const previous = protect((x) => x.previous);
      const { previous: _p, change: _c, ...figure } = m;
      const shown = { ...figure, ...now } as DigestMeasure;
      return {
        ...shown,
        ...(m.target ? { meetsTarget: meetsTarget(m.target, now.value) } : {}),
        previous: {
          ...(previous.numerator !== undefined ? { numerator: previous.numerator } : {}),
          ...(previous.denominator !== undefined ? { denominator: previous.denominator } : {}),
          value: previous.value,
          ...(previous.suppressed ? { suppressed: true as const } : {}),
        },
        change: now.suppressed || previous.suppressed ? null : m.change,
      };
    }),
  };
}

/** The weekly per-team digests (docs/contract.md section 7), as the caller may see them. */
@Injectable()
export class DigestsService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Newest first; one team's when `team` is given. */
  list(team: string | undefined): Promise<DigestSummary[]> {
    return listDigests(this.pool, team);
  }

  /** One digest: exact for a clinical role or `admin`, suppressed among its week's digests for `ops`. */
  async get(id: string, caller: Principal): Promise<Digest> {
    const d = await getDigest(this.pool, id);
    if (!d) throw new DomainError('not-found', 'no digest with this id');
    return seesExactFigures(caller) ? d : suppressDigest(d, await digestsOfWeek(this.pool, d.weekStart));
  }
}
