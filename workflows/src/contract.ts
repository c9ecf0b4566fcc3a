import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ClinicalEvent, PathwayState, Priority, Reason, ResolvedPolicy, TaskType } from '@tandem/domain';

/**
 * The patientPathway workflow's contract: what clients (bridge, API, tests) import to talk to it,
 * without importing the workflow code itself.
 */

export const PATHWAY_WORKFLOW_TYPE = 'patientPathway';

/** One pathway per patient; the id carries only the opaque patient id, never PHI. */
export function pathwayWorkflowId(patientId: string): string {
  return `pathway-${patientId}`;
}

/** Carried across continue-as-new so de-duplication and state survive the new run. */
export interface PathwayCarryOver {
  state: PathwayState;
  seenEventIds: string[];
}

export interface PathwayWorkflowInput {
  patientId: string;
  policy: ResolvedPolicy;
  carried?: PathwayCarryOver;
}

export interface TaskCompletion {
  taskId: string;
  commandId: string;
  outcome: string;
  completedAt: string;
}

/** Signals rather than updates: producers (Kafka bridge, API) must not block on the workflow's work. */
export const clinicalEventSignal = defineSignal<[ClinicalEvent]>('clinicalEvent');
export const taskCompletedSignal = defineSignal<[TaskCompletion]>('taskCompleted');

export interface PathwayView {
  state: PathwayState;
  eventsSeen: number;
  /** Task ids in PostgreSQL, by the command that opened them. */
  taskIds: Record<string, string>;
}

export const pathwayStateQuery = defineQuery<PathwayView>('pathwayState');

/** Activities the workflow calls; implemented in activities/ and imported here as a type only. */
export interface OpenTaskCommand {
  patientId: string;
  commandId: string;
  type: TaskType;
  priority: Priority;
  dueAt: string;
  reason: Reason;
}

export interface PathwayActivities {
  openTask(command: OpenTaskCommand): Promise<{ taskId: string }>;
}
