import type { PathwayState, PathwayTask } from './state';
import { isCaregiverTask, MAX_READINGS } from './state';
import { memoryOf } from './memory';

/**
 * The change 'compaction' (rules revision 6, ../revisions/table.ts): what a pathway carries is bounded, however long the journey (a state that grew with
 * every closed task made a two-year pathway's every step and continue-as-new heavier). The rules
 * need of a closed task only its identity, status and time, and for PROM requests which request it
 * was about; the full record of every task lives in PostgreSQL (task, task_history).
 */
/** Closed tasks kept, the most recently closed (besides caregivers' tasks and the review a follow-up answers). */
export const MAX_CLOSED_TASKS = 20;
/** Updates kept in an open task's evidence, the newest (the whole list is in PostgreSQL's evidence). */
export const MAX_EVIDENCE_UPDATES = 20;

/**
 * A closed task as later steps need it: identity, status, time; the PROM request it was about (its
 * memory: the evidence that explains it is in PostgreSQL).
 */
function slim(t: PathwayTask): PathwayTask {
  const { requestId } = memoryOf(t);
  return {
    commandId: t.commandId,
    type: t.type,
    subject: t.subject,
    queue: t.queue,
    priority: t.priority,
    dueAt: t.dueAt,
    openedAt: t.openedAt,
    patientFacing: t.patientFacing,
    status: t.status,
    escalationLevel: t.escalationLevel,
    ...(t.outcome !== undefined ? { outcome: t.outcome } : {}),
    ...(t.closedAt !== undefined ? { closedAt: t.closedAt } : {}),
    reason: { rule: t.reason.rule, evidence: {} },
    ...(requestId === undefined ? {} : { memory: { requestId } }),
  };
}

/** An open task's updates, the newest: in its evidence and, alike, in its memory (the two lists stay parallel). */
function boundedUpdates(t: PathwayTask): PathwayTask {
  const updates = t.reason.evidence.updates;
  if (!Array.isArray(updates) || updates.length <= MAX_EVIDENCE_UPDATES) return t;
  const memory = memoryOf(t);
  return {
    ...t,
    reason: { ...t.reason, evidence: { ...t.reason.evidence, updates: updates.slice(-MAX_EVIDENCE_UPDATES) } },
    ...(t.memory ? { memory: { ...memory, joined: (memory.joined ?? []).slice(-MAX_EVIDENCE_UPDATES) } } : {}),
  };
}

/**
 * The state a step leaves, bounded. Kept in full: open tasks (their evidence's updates capped) and
 * the symptom reviews a closed-loop follow-up compares with. Kept slim: caregivers' tasks (one per
 * caregiver: "is this caregiver known?") and the MAX_CLOSED_TASKS most recently closed (a new task
 * never takes an earlier one's id within that reach; ids of older inputs cannot recur). Unplanned
 * admissions and encounters counted: the newest MAX_READINGS. Ids of tasks opened on a completion
 * are bounded too (context.ts `boundedId`). Pure and idempotent.
 */
export function compactState(s: PathwayState): PathwayState {
  // A closed-loop follow-up compares its answer with the review's findings: keep that review whole
  // from its completion (the follow-up's timer) until the follow-up is answered.
  const whole = new Set<string>(s.proms.followUp ? [s.proms.followUp.reviewCommandId] : []);
  for (const t of Object.values(s.timers)) if (t.purpose.kind === 'closed-loop-follow-up') whole.add(t.purpose.reviewCommandId);
  const tasks = Object.values(s.tasks);
  const closed = tasks
    .filter((t) => t.status !== 'open' && !whole.has(t.commandId) && !isCaregiverTask(t))
    .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? '') || b.commandId.localeCompare(a.commandId));
  const recent = new Set(closed.slice(0, MAX_CLOSED_TASKS).map((t) => t.commandId));
  const kept: Record<string, PathwayTask> = {};
  for (const t of tasks) {
    if (t.status === 'open' || whole.has(t.commandId)) kept[t.commandId] = boundedUpdates(t);
    else if (isCaregiverTask(t) || recent.has(t.commandId)) kept[t.commandId] = slim(t);
  }
  const { unplannedAdmissions, encounters } = s.clinical;
  return {
    ...s,
    tasks: kept,
    clinical: {
      ...s.clinical,
      unplannedAdmissions: unplannedAdmissions.slice(-MAX_READINGS),
      ...(encounters ? { encounters: encounters.slice(-MAX_READINGS) } : {}),
    },
  };
}
