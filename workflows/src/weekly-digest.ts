import { proxyActivities } from '@temporalio/workflow';
import type { DigestActivities, WeeklyDigestInput, WeeklyDigestResult } from './contract';

const { makeWeeklyDigests } = proxyActivities<DigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2, maximumAttempts: 10 },
});

/**
 * One week's digests for every team (docs/contract.md section 7): the activity computes and stores them,
 * once per team and week however often it is retried, and queues `tandem.digest.weekly`.
 */
export async function weeklyDigest(input: WeeklyDigestInput = {}): Promise<WeeklyDigestResult> {
  return makeWeeklyDigests(input);
}
