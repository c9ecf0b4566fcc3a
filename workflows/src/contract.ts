import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ClinicalEvent, PathwayCommand, PathwayState, ResolvedPolicy } from '@tandem/domain';
import type { PathwayProjection } from './projection';

export type { PathwayProjection } from './projection';

/**
 * The patientPathway workflow's contract: what clients (bridge, API, tests) import to talk to it,
 * without importing the workflow code itself.
 */

export const PATHWAY_WORKFLOW_TYPE = 'patientPathway';

/** One pathway per patient; the id carries only the opaque patient id, never PHI. */
export function pathwayWorkflowId(patientId: string): string {
  return `pathway-${patientId}`;
}

/** The patient of a pathway workflow id, or undefined for any other workflow (the digest's). */
export function patientIdOfPathway(workflowId: string): string | undefined {
  return workflowId.startsWith('pathway-') ? workflowId.slice('pathway-'.length) : undefined;
}

/** Carried across continue-as-new so de-duplication and state survive the new run. */
export interface PathwayCarryOver {
  state: PathwayState;
  /** Plain event ids, carried by runs that de-duplicated by id alone (before the event-identity patch); kept until they age out. */
  seenEventIds: string[];
  /** The de-duplication window by event identity (source, id) (patient-pathway.ts `eventKey`). */
  seenEvents?: string[];
  /** Carried by runs before the task ids moved out of the workflow (PostgreSQL has them by command id); ignored. */
  taskIds?: Record<string, string>;
  problems?: PathwayProblem[];
  /** A pathway still catching up with a history: the clinical time it has reached (catch-up.ts). */
  historyAt?: string;
}

/** A step whose writes failed for good (non-retryable): shown on the pathway view, never PHI. */
export interface PathwayProblem {
  at: string;
  stepKey?: string;
  /** The failure's type, e.g. a PostgreSQL error class ('data-exception', 'integrity-constraint-violation'). */
  type: string;
  message: string;
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
/** The history being loaded for this pathway is all in: a pathway catching up comes to the present (catch-up.ts). */
export const historyLoadedSignal = defineSignal('historyLoaded');

/** The workflow's internals, for tests and operators: the API reads `pathwayQuery` (a projection) instead. */
export interface PathwayView {
  state: PathwayState;
  eventsSeen: number;
  /** Steps whose writes could not be carried out (non-retryable failures), newest last. */
  problems?: PathwayProblem[];
  /** The next timers, soonest first. */
  nextTimers: Array<{ id: string; fireAt: string; kind: string }>;
}

export const pathwayStateQuery = defineQuery<PathwayView>('pathwayState');
/** What the API shows of a pathway: a projection of the state, not the workflow's internal type. */
export const pathwayQuery = defineQuery<PathwayProjection>('pathway');

/** Activities the workflow calls; implemented in activities/ and imported here as a type only. */
export interface CarryOutRequest {
  patientId: string;
  /** Every command of one pathway step, carried out in one transaction, each idempotent by its id. */
  commands: PathwayCommand[];
  /** The clinical event this step handled, if any: tasks it opens record it (event-to-task latency, audit). */
  sourceEventId?: string;
  /** That event's source: an event is (source, id) (migration 014). Absent in requests recorded before. */
  sourceEventSource?: string;
  /** Set when the step moved the pathway to another stage (published on pathway-events). */
  stage?: { from: string; to: string };
  /**
   * Names the step for idempotency keys of its own writes (the stage change): its first command's or
   * timer's id. Absent in requests recorded before timers were left out of `commands`.
   */
  stepKey?: string;
  /**
   * Set when the step was taken on a history's clock (catch-up.ts): its clinical time. Its
   * notifications are dated then, so the notifier does not deliver what is long past.
   */
  at?: string;
}

export interface CarryOutResult {
  /**
   * How many tasks the step opened (or found opened by an earlier try). The ids stay in PostgreSQL
   * (task.command_id); results recorded before carried them as `taskIds`, which the workflow ignores.
   */
  opened: number;
}

/**
 * An event signal's verdict from the domain's own schema (parseClinicalEvent): null when valid, else
 * the rejection's reason and the paths of the fields at fault (never their values).
 */
export type EventVerdict = { reason: string; fields: string } | null;

/** A pathway whose duties are all over, about to end its workflow (ADR 0017): what PostgreSQL keeps of it. */
export interface PathwayEndRequest {
  patientId: string;
  /** Why and when it closed (the state's closure). */
  reason: string;
  closedAt: string;
  /** Orders the ends a run records (its history length then): a late retry of an earlier write never overwrites a later one. */
  sequence: number;
  /** What a new run would start from: the state and de-duplication window it ended with. */
  carried: PathwayCarryOver;
}

export interface PathwayActivities {
  carryOut(request: CarryOutRequest): Promise<CarryOutResult>;
  /** Records the end (`pathway_end`), idempotently: the workflow then completes. */
  recordPathwayEnd(request: PathwayEndRequest): Promise<void>;
  /** What the pathway ended with, if it ended before: a run started without a carry-over takes it up. */
  endedPathway(request: { patientId: string }): Promise<PathwayCarryOver | null>;
  /**
   * Vets the events a step is about to take in against the domain's schema, outside the workflow
   * sandbox (zod stays out of the bundle); one verdict per event, in order. A local activity: the
   * verdicts are recorded in the history, so a replay takes the same decisions.
   */
  vetEvents(request: { events: unknown[] }): Promise<EventVerdict[]>;
}

/** The weekly per-team digest of the measures (docs/contract.md section 7), run by a Temporal Schedule. */
export const DIGEST_WORKFLOW_TYPE = 'weeklyDigest';
/** One schedule per task queue (one Tandem per queue): a test's worker never moves a running system's. */
export const digestScheduleId = (taskQueue: string): string => `tandem-weekly-digest-${taskQueue}`;

export interface WeeklyDigestInput {
  /** The instant the digest is made for (default: when the activity runs): it reports the week before. */
  at?: string;
}

export interface WeeklyDigestResult {
  weekStart: string;
  weekEnd: string;
  digests: Array<{ team: string; id: string; created: boolean }>;
}

export interface DigestActivities {
  makeWeeklyDigests(input: WeeklyDigestInput): Promise<WeeklyDigestResult>;
}
