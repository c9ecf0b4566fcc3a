import type { PathwayInput, PathwayState } from '@tandem/domain';

/** The pathway's timers live in its state (patient-pathway.ts): which are due now, and when the next falls. */

export function dueTimers(state: PathwayState, now: number): PathwayInput[] {
  return Object.entries(state.timers)
    .filter(([, t]) => Date.parse(t.fireAt) <= now)
    .sort(([a, x], [b, y]) => Date.parse(x.fireAt) - Date.parse(y.fireAt) || a.localeCompare(b))
    .map(([timerId, t]) => ({ kind: 'timer', timerId, purpose: t.purpose, at: new Date(now).toISOString() }));
}

export function nextFireAt(state: PathwayState): number | undefined {
  const times = Object.values(state.timers).map((t) => Date.parse(t.fireAt));
  return times.length ? Math.min(...times) : undefined;
}
