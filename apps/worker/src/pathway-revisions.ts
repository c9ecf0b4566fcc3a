import type { Client } from '@temporalio/client';
import { LEGACY_RULES_REVISION } from '@tandem/domain';
import { PATHWAY_WORKFLOW_TYPE, pathwayStateQuery } from '@tandem/workflows/contract';

/** Which rules revisions the running pathways are at, and how many runs started before a release. */
export interface PathwayRevisions {
  /** Running pathways, by the rules revision their state is at (docs/rule-revisions.md). */
  byRevision: Record<number, number>;
  running: number;
  /** Running pathways whose current run started before `startedBefore`: each may still take a patch's old branch. */
  startedBefore?: number;
  /** Pathways no worker answered for within the deadline (counted, never guessed). */
  unanswered: number;
}

export interface PathwayRevisionsOptions {
  /** A release time: runs started before it may still need the branches its patches retired. */
  startedBefore?: Date;
  /** Only pathways whose workflow id starts with `pathway-<this>` (a site's or a test's own patients). */
  patientIdPrefix?: string;
  /** How long one pathway's query may wait for a worker. */
  queryDeadlineMs?: number;
  onProgress?: (done: number) => void;
}

/**
 * Step 1 of retiring a rules revision or a workflow patch (docs/rule-revisions.md): Temporal's
 * visibility lists the running pathways (and when each current run started), and each pathway's
 * state says its revision. Only counts leave this function: no patient's data.
 */
export async function pathwayRevisions(client: Client, opts: PathwayRevisionsOptions = {}): Promise<PathwayRevisions> {
  const prefix = opts.patientIdPrefix ? ` AND WorkflowId STARTS_WITH 'pathway-${opts.patientIdPrefix.replace(/'/g, '')}'` : '';
  const query = `WorkflowType = '${PATHWAY_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'${prefix}`;
  const out: PathwayRevisions = { byRevision: {}, running: 0, unanswered: 0, ...(opts.startedBefore ? { startedBefore: 0 } : {}) };
  const deadline = opts.queryDeadlineMs ?? 10_000;
  for await (const w of client.workflow.list({ query })) {
    out.running++;
    if (opts.startedBefore && w.startTime < opts.startedBefore) out.startedBefore!++;
    try {
      const view = await client.connection.withDeadline(Date.now() + deadline, () => client.workflow.getHandle(w.workflowId, w.runId).query(pathwayStateQuery));
      const revision = view.state.revision ?? LEGACY_RULES_REVISION;
      out.byRevision[revision] = (out.byRevision[revision] ?? 0) + 1;
    } catch {
      out.unanswered++;
    }
    opts.onProgress?.(out.running);
  }
  return out;
}
