import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { pathwayWorkflowId } from '../../src/contract';

export interface RunHistory {
  runId: string;
  events: number;
  history: temporal.api.history.v1.IHistory;
}

/** Every run of a pathway, following continue-as-new from the first run, with its history. */
export async function runsOf(env: TestWorkflowEnvironment, patientId: string, firstRunId: string): Promise<RunHistory[]> {
  const runs: RunHistory[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await env.client.workflow.getHandle(pathwayWorkflowId(patientId), runId).fetchHistory();
    runs.push({ runId, events: history.events?.length ?? 0, history });
    const last: temporal.api.history.v1.IHistoryEvent | undefined = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * The version recorded histories are named with. Bump it for an intended change of the workflow's
 * commands; earlier versions' files stay and must keep replaying (v2: stage changes carried out
 * behind the 'stage-change-pathway-events' patch; v3: steps carried out by a local activity behind
 * the 'local-carry-out' patch, timers left out of the activity's input; v4: rules revision 4 behind
 * the 'rules-revision-4' patch, a closed pathway that stays running; v5: rules revision 5; v6: rules
 * revision 6, a bounded state, behind 'rules-revision-6', and no task-id map in the workflow; v7:
 * rules revision 7, a new pathway at the current revision ('start-at-current-revision'), a run that
 * takes up a recorded end ('adopt-pathway-end'), and a pathway that ends ('pathway-ends': ADR 0017);
 * v8: a pathway catching up with a loaded history ('history-catch-up': ADR 0019), recorded by
 * catch-up.workflow.test.ts).
 */
export const HISTORY_VERSION = 'v8';

/** Writes a run's history (protobuf binary) for the replay tests when UPDATE_HISTORIES=1; file names carry the version. */
export function maybeSaveHistory(name: string, history: temporal.api.history.v1.IHistory): void {
  if (process.env.UPDATE_HISTORIES !== '1') return;
  writeFileSync(join(HISTORIES_DIR, `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
}

export function loadHistory(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES_DIR, file)));
}

/** The workflow patches whose markers a history recorded (Temporal's `core_patch` markers), in order. */
export function patchesOf(history: temporal.api.history.v1.IHistory): string[] {
  const ids: string[] = [];
  for (const e of history.events ?? []) {
    const m = e.markerRecordedEventAttributes;
    const data = m?.markerName === 'core_patch' ? m.details?.['patch-data']?.payloads?.[0]?.data : undefined;
    if (!data) continue;
    const { id } = JSON.parse(Buffer.from(data).toString()) as { id: string };
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
