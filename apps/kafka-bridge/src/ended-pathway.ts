import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { pathwayEndOf, rememberAfterEnd } from '@tandem/db';
import type { ClinicalEvent, ResolvedPolicy } from '@tandem/domain';
import { lateEventForEndedPathway } from '@tandem/domain';
import { BoundedIdSet, DEDUPE_CAPACITY, DEDUPE_MAX_CHARS, eventKey } from '@tandem/workflows/bounded-set';
import { clinicalEventSignal, PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { PathwayCarryOver, PathwayWorkflowInput } from '@tandem/workflows/contract';
import { PathwayClosedError } from './pathway-closed';

export interface EndedPathwayDeps {
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  policy: ResolvedPolicy;
}

/** Writers racing on one ended pathway (a rebalance hands a patient to another bridge mid-batch) are rare: a few re-reads settle them. */
const MAX_REMEMBER_ATTEMPTS = 5;

/** What became of an event for a pathway whose workflow had ended (counted by the bridge's metrics). */
export type AfterEnd = 'started' | 'remembered' | 'unchanged' | 'duplicate';

/**
 * An event for a pathway whose workflow ended (Temporal would not start it again). A pathway that
 * ended with its duties over is in `pathway_end` (ADR 0017): the rules judge the event on the state
 * it ended with. An event they act on starts a run from that state (the two re-enrolments); one they
 * only remember updates it there, and opens nothing (docs/clinical-rules.md 2.10a). The event itself is
 * in the event log either way. A pathway that ended before revision 4 left nothing to start from:
 * the event is parked as `pathway-closed`, as before.
 */
export async function deliverAfterEnd(d: EndedPathwayDeps, event: ClinicalEvent): Promise<AfterEnd> {
  // Optimistic: judged on the row as read, written only if nobody wrote since; else read and judge again.
  for (let attempt = 1; ; attempt++) {
    const ended = await pathwayEndOf<PathwayCarryOver>(d.pool, event.subject);
    if (!ended) throw new PathwayClosedError();
    const window = new BoundedIdSet(ended.carried.seenEvents ?? [], DEDUPE_CAPACITY, DEDUPE_MAX_CHARS);
    const plainIds = new BoundedIdSet(ended.carried.seenEventIds ?? [], DEDUPE_CAPACITY, DEDUPE_MAX_CHARS);
    if (window.has(eventKey(event)) || plainIds.has(event.id)) return 'duplicate';
    const verdict = lateEventForEndedPathway(ended.carried.state, event, d.policy, new Date().toISOString());
    if (verdict.kind === 'start-run') {
      const input: PathwayWorkflowInput = { patientId: event.subject, policy: d.policy, carried: ended.carried };
      await d.temporal.workflow.signalWithStart(PATHWAY_WORKFLOW_TYPE, {
        workflowId: pathwayWorkflowId(event.subject),
        taskQueue: d.taskQueue,
        args: [input],
        signal: clinicalEventSignal,
        signalArgs: [event],
        // Started on purpose, from the state it ended with: the only way an ended pathway runs again.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      return 'started';
    }
    // The window takes the event; the plain ids of older runs give way, as in the workflow: both hold at most DEDUPE_CAPACITY.
    window.add(eventKey(event));
    while (plainIds.size > 0 && window.size + plainIds.size > DEDUPE_CAPACITY) plainIds.evictOldest();
    const state = verdict.kind === 'remember' ? verdict.state : ended.carried.state;
    const carried: PathwayCarryOver = { ...ended.carried, state, seenEvents: window.toArray(), seenEventIds: plainIds.toArray() };
    if (await rememberAfterEnd<PathwayCarryOver>(d.pool, event.subject, ended.version, carried)) return verdict.kind === 'remember' ? 'remembered' : 'unchanged';
    if (attempt >= MAX_REMEMBER_ATTEMPTS) throw new Error('the ended pathway kept changing while this event was judged; retrying');
  }
}
