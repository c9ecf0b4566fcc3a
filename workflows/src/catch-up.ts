import type { ClinicalEvent, PathwayInput, PathwayState } from '@tandem/domain';

/**
 * Catching up with a history (ADR 0019). An integration that loads a service's past marks each
 * event `history: true`. A new pathway then steps them on the history's own clock: each at its
 * clinical time, with the pathway's timers due before it fired first, each at its own time. So the
 * PROM requests, reminders and calls it would have made in that past carry their past times, and a
 * backfilled year has the engine's side too. The pathway returns to the present at its first live
 * clinical event, or when it is told the history is loaded: then the timers due since the history's
 * last event fire, in order, and it runs on the workflow's clock again.
 */
export const HISTORY_PATCH = 'history-catch-up';

/** An event the pathway may take on the history's clock: marked so, and the pathway new or still catching up. */
export function isHistory(event: ClinicalEvent): boolean {
  return event.history === true;
}

/**
 * Escalation ladders wait for the present: a history carries the patient's events, not the staff's
 * work, so a pathway catching up does not judge the staff on it. A task still open when the pathway
 * reaches the present has its ladder run then, dated at the history's last time (ADR 0019 says why
 * its escalation follows at once, and what would change that).
 */
const waitsForThePresent = (state: PathwayState, timerId: string) => state.timers[timerId]?.purpose.kind === 'task-overdue';

/**
 * The pathway's earliest timer due by `until`, as the input that fires it at its own time — never
 * before `notBefore`, so a pathway's steps stay in order (a ladder that waited fires when it is let).
 * While catching up (`present` false) the escalation ladders wait.
 */
export function earliestDue(state: PathwayState, until: number, notBefore: number, present: boolean): PathwayInput | undefined {
  let found: { timerId: string; fireAt: number } | undefined;
  for (const [timerId, t] of Object.entries(state.timers)) {
    const fireAt = Date.parse(t.fireAt);
    if (fireAt > until || (!present && waitsForThePresent(state, timerId))) continue;
    if (!found || fireAt < found.fireAt || (fireAt === found.fireAt && timerId < found.timerId)) found = { timerId, fireAt };
  }
  if (!found) return undefined;
  const timer = state.timers[found.timerId]!;
  return { kind: 'timer', timerId: found.timerId, purpose: timer.purpose, at: new Date(Math.max(found.fireAt, notBefore)).toISOString() };
}
