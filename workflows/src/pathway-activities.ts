import { ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { PathwayActivities } from './contract';
import { LOCAL_CARRY_OUT_PATCH } from './pathway-markers';

/** The activities the patientPathway workflow calls (patient-pathway.ts), with their timeouts and retries. */

const carryOutOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
} as const;
/** Before the patch: an activity task through the server's matching service. */
const { carryOut: carryOutAsTask } = proxyActivities<PathwayActivities>(carryOutOptions);
/**
 * After the patch: in the worker, within the workflow task that decided the step. One short PostgreSQL
 * transaction does not need its own task on the server; this halves the workflow tasks of a step and
 * takes the activity round trip out of every event's way to its task (docs/benchmarks.md).
 */
const { carryOut: carryOutLocally } = proxyLocalActivities<PathwayActivities>(carryOutOptions);
export const carryOut: PathwayActivities['carryOut'] = (request) => (patched(LOCAL_CARRY_OUT_PATCH) ? carryOutLocally(request) : carryOutAsTask(request));
/**
 * Pure and quick. Retried until it answers, as carryOut is: an activity that failed for good would fail the
 * whole run, and the next event would start a pathway that knew nothing (a worker without it is misconfigured).
 */
export const { vetEvents } = proxyLocalActivities<PathwayActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});
/** One upsert, retried until it lands as a step's writes are: the workflow completes only once its end is recorded. One read at a run's start. */
export const { recordPathwayEnd, endedPathway } = proxyLocalActivities<PathwayActivities>(carryOutOptions);

/** The non-retryable application failure behind an activity's failure, if that is what it is. */
export function permanentFailure(e: unknown): ApplicationFailure | undefined {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    if (c instanceof ApplicationFailure && c.nonRetryable) return c;
    if (!(c instanceof ActivityFailure) && c !== e) break;
  }
  return undefined;
}
