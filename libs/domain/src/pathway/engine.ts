import type { ResolvedPolicy } from '../policy/policy';
import { afterClosure, Decision, RULES } from '../rules';
import { applyCommands as applyEach } from './apply';
import { compactState } from './compact';
import { evolve } from './evolve';
import type { PathwayCommand, PathwayInput } from './inputs';
import type { ClinicalEvent } from '../events/envelope';
import type { PathwayState } from './state';
import { openTasks } from './state';
import { inForce } from '../revisions/table';

export { evolve };

/**
 * The commands an input calls for. Rules see the state after the input's facts (and `before`, for
 * comparisons). A closed pathway keeps its record and decides nothing.
 */
export function decide(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): PathwayCommand[] {
  const next = evolve(state, input);
  // 'closure-stays': a closed pathway stays closed and decides nothing — unless this input re-enrols it
  // (2.10a); 'severe-answer-at-closure': except a severe answer from before the closure, and the
  // reviews kept open (rules/closure.ts).
  if (state.stage === 'closed' && (!inForce(state, 'closure-stays') || next.stage === 'closed')) return afterClosure(state, next, input, policy);
  const d = new Decision(state, next, input, policy);
  for (const rule of RULES) rule(d);
  return d.commands;
}

/** Applies commands' bookkeeping, then settles derived stage changes (bereavement ends the pathway). */
export function applyCommands(state: PathwayState, commands: readonly PathwayCommand[]): PathwayState {
  return settle(applyEach(state, commands));
}

/**
 * Events kept while a pathway waits for its enrolling diagnosis; beyond this the oldest are parked
 * with their reason ('held-events-parked'; before, they were dropped), so no clinical event is lost (invariant 7).
 */
export const MAX_HELD_BEFORE_ENROLMENT = 100;
export const HELD_LIMIT_REASON = 'held-before-enrolment-limit';

/**
 * The whole step the workflow takes for one input. Before enrolment, events are also held; when
 * the enrolling event arrives, the held events are stepped again after it, in clinical order —
 * exactly as rules treat an event that arrives late after enrolment — so a patient whose events
 * arrive in any order gets the same tasks.
 */
export function step(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): { state: PathwayState; commands: PathwayCommand[] } {
  const result = stepWithinLimits(state, input, policy);
  return inForce(result.state, 'compaction') ? { ...result, state: compactState(result.state) } : result;
}

/**
 * 'pathway-limits' (docs/security.md, finding 3): what a pathway holds stays bounded whatever valid events arrive —
 * a caller who sends a thousand discharges or caregivers cannot make its state, its continue-as-new
 * or its query answers outgrow Temporal's limits (workflows/test/hostile-bounds.test.ts). Open
 * tasks are the one collection events grow that compaction cannot trim (each is someone's work),
 * and caregivers are kept for the bereavement to come.
 */
/** Open tasks a pathway holds at most; a usual journey has fewer than 15. */
export const MAX_OPEN_TASKS = 60;
/** Caregivers a pathway knows at most (each has tasks of their own, kept for the bereavement). */
export const MAX_CAREGIVERS = 20;
export const PATHWAY_LIMIT_REASON = 'pathway-limit';

/** A park command's id: by the event's identity (source, id), so two sources' events with one id are parked apart. */
const parkId = (s: PathwayState, e: ClinicalEvent) => (inForce(s, 'park-by-identity') ? `park#${e.source.length}:${e.source}${e.id}` : `park#${e.id}`);

/** An event that would take the pathway past a bound ('pathway-limits') is parked instead, and changes nothing. */
function stepWithinLimits(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): { state: PathwayState; commands: PathwayCommand[] } {
  const result = stepUnbounded(state, input, policy);
  if (input.kind !== 'event' || !inForce(state, 'pathway-limits')) return result;
  const open = openTasks(result.state).length;
  const caregivers = result.state.caregivers.length;
  const past =
    (open > MAX_OPEN_TASKS && open > openTasks(state).length) || (caregivers > MAX_CAREGIVERS && caregivers > state.caregivers.length);
  if (!past) return result;
  return {
    state,
    commands: [
      {
        kind: 'park-event',
        commandId: parkId(state, input.event),
        event: input.event,
        reason: PATHWAY_LIMIT_REASON,
        detail: `the pathway would hold more than ${MAX_OPEN_TASKS} open tasks or ${MAX_CAREGIVERS} caregivers; replay once tasks are closed`,
      },
    ],
  };
}

function stepUnbounded(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): { state: PathwayState; commands: PathwayCommand[] } {
  const commands = decide(state, input, policy);
  let next = applyCommands(evolve(state, input), commands);
  if (input.kind !== 'event' || state.stage !== 'none') return { state: next, commands };
  const held = [...(state.heldBeforeEnrolment ?? []), input.event];
  if (next.stage === 'none') {
    const overflow = held.slice(0, Math.max(0, held.length - MAX_HELD_BEFORE_ENROLMENT));
    const parked: PathwayCommand[] = inForce(state, 'held-events-parked')
      ? overflow.map((event) => ({
          kind: 'park-event',
          commandId: parkId(state, event),
          event,
          reason: HELD_LIMIT_REASON,
          detail: `more than ${MAX_HELD_BEFORE_ENROLMENT} events arrived before an advanced diagnosis enrolled the patient; replay once the diagnosis is recorded`,
        }))
      : [];
    return { state: { ...next, heldBeforeEnrolment: held.slice(-MAX_HELD_BEFORE_ENROLMENT) }, commands: [...commands, ...parked] };
  }

  next = { ...next, heldBeforeEnrolment: undefined };
  const later = held.filter((e) => e.id !== input.event.id || e.source !== input.event.source).sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.id.localeCompare(b.id));
  const all = [...commands];
  for (const event of later) {
    const r = stepWithinLimits(next, { kind: 'event', event, at: input.at }, policy);
    next = r.state;
    all.push(...r.commands);
  }
  return { state: next, commands: all };
}

/** 2.9: the pathway closes when the last bereavement task is closed and none is still to open. */
function settle(s: PathwayState): PathwayState {
  if (s.stage !== 'bereavement') return s;
  const pending = openTasks(s).length > 0 || Object.values(s.timers).some((t) => t.purpose.kind === 'bereavement-open');
  if (pending) return s;
  return inForce(s, 'closure-stays') ? { ...s, stage: 'closed', closure: { reason: 'bereavement-complete', at: lastClosedAt(s) } } : { ...s, stage: 'closed' };
}

function lastClosedAt(s: PathwayState): string {
  const times = Object.values(s.tasks).flatMap((t) => (t.closedAt ? [t.closedAt] : []));
  return times.sort().at(-1) ?? s.clinical.diedAt ?? '1970-01-01T00:00:00.000Z';
}
