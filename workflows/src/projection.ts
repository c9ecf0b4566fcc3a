import type { PathwayState, Reason } from '@tandem/domain';
import { openTasks } from '@tandem/domain/workflow-api';
import type { PathwayProblem } from './contract';

/**
 * What other processes see of a pathway (the API's pathway view): a projection of the workflow's
 * state, so the state's internal shape can change (compact.ts, new revisions) without changing what
 * the API serves. Task ids are not here: PostgreSQL has them by command id.
 */
export interface PathwayProjection {
  patientId: string;
  stage: PathwayState['stage'];
  level: PathwayState['level'];
  flags: string[];
  closure?: { reason: NonNullable<PathwayState['closure']>['reason']; at: string };
  openTasks: Array<{ commandId: string; type: string; queue: string; priority: string; dueAt: string; reason: Reason }>;
  nextTimers: Array<{ id: string; fireAt: string; kind: string }>;
  problems: PathwayProblem[];
  referral: { status: PathwayState['referral']['status']; declinedAt?: string };
  acp: { status: PathwayState['acp']['status']; documentedAt?: string; preferredPlaceOfDeath?: string; codeStatus?: string };
  consent: PathwayState['consent'];
  caregivers: PathwayState['caregivers'];
  eventsSeen: number;
  /** Present while the pathway steps a loaded history on its clinical clock (catch-up.ts): the clinical time it has reached. */
  catchingUpAt?: string;
}

/** The next timers, soonest first. */
export function nextTimers(state: PathwayState, limit = 10): PathwayProjection['nextTimers'] {
  return Object.entries(state.timers)
    .map(([id, t]) => ({ id, fireAt: t.fireAt, kind: t.purpose.kind }))
    .sort((a, b) => a.fireAt.localeCompare(b.fireAt))
    .slice(0, limit);
}

export function projectPathway(
  state: PathwayState,
  run: { eventsSeen: number; problems: readonly PathwayProblem[]; catchingUpAt?: string },
): PathwayProjection {
  const { referral, acp } = state;
  return {
    patientId: state.patientId,
    stage: state.stage,
    level: state.level,
    flags: [...state.flags],
    ...(state.closure ? { closure: { reason: state.closure.reason, at: state.closure.at } } : {}),
    openTasks: openTasks(state).map((t) => ({ commandId: t.commandId, type: t.type, queue: t.queue, priority: t.priority, dueAt: t.dueAt, reason: t.reason })),
    nextTimers: nextTimers(state),
    problems: [...run.problems],
    referral: { status: referral.status, ...(referral.declinedAt ? { declinedAt: referral.declinedAt } : {}) },
    acp: {
      status: acp.status,
      ...(acp.documentedAt ? { documentedAt: acp.documentedAt } : {}),
      ...(acp.preferredPlaceOfDeath ? { preferredPlaceOfDeath: acp.preferredPlaceOfDeath } : {}),
      ...(acp.codeStatus ? { codeStatus: acp.codeStatus } : {}),
    },
    consent: state.consent,
    caregivers: state.caregivers,
    eventsSeen: run.eventsSeen,
    ...(run.catchingUpAt ? { catchingUpAt: run.catchingUpAt } : {}),
  };
}
