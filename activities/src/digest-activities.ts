import type { Pool } from 'pg';
import { digestMeasures, refreshDirtyMeasures, storeDigest } from '@tandem/db';
import type { ResolvedPolicy } from '@tandem/domain';
import { previousWeeks, QUEUES } from '@tandem/domain';
import type { DigestActivities } from '@tandem/workflows/contract';

/** The digest activity: last week's measures per team (queue) beside the week before's, stored and announced. */
export function createDigestActivities(deps: { pool: Pool; policy: ResolvedPolicy }): DigestActivities {
  return {
    async makeWeeklyDigests(input) {
      const at = input.at ? new Date(input.at) : new Date();
      await refreshDirtyMeasures(deps.pool);
      const weeks = previousWeeks(at, deps.policy.policy.digest.timeZone);
      const digests = [];
      for (const team of QUEUES) {
        const measures = await digestMeasures(deps.pool, team, weeks, at);
        const { digest, created } = await storeDigest(deps.pool, { team, week: weeks.last, measures });
        digests.push({ team, id: digest.id, created });
      }
      return { weekStart: weeks.last.from, weekEnd: weeks.last.to, digests };
    },
  };
}
