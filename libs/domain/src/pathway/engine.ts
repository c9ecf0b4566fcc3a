import type { ResolvedPolicy } from '../policy/policy';
import { Decision, RULES } from '../rules';
import { applyCommands as applyEach } from './apply';
import { evolve } from './evolve';
import type { PathwayCommand, PathwayInput } from './inputs';
import type { PathwayState } from './state';
import { openTasks } from './state';

export { evolve };

/**
 * The commands an input calls for. Rules see the state after the input's facts (and `before`, for
 * comparisons). A closed pathway keeps its record and decides nothing.
 */
export function decide(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): PathwayCommand[] {
  if (state.stage === 'closed') return [];
  const d = new Decision(state, evolve(state, input), input, policy);
  for (const rule of RULES) rule(d);
  return d.commands;
}

/** Applies commands' bookkeeping, then settles derived stage changes (bereavement ends the pathway). */
export function applyCommands(state: PathwayState, commands: readonly PathwayCommand[]): PathwayState {
  return settle(applyEach(state, commands));
}

/** Events kept while a pathway waits for its enrolling diagnosis; beyond this the oldest go. */
export const MAX_HELD_BEFORE_ENROLMENT = 100;

/**
 * The whole step the workflow takes for one input. Before enrolment, events are also held; when
 * the enrolling event arrives, the held events are stepped again after it, in clinical order —
 * exactly as rules treat an event that arrives late after enrolment — so a patient whose events
 * arrive in any order gets the same tasks.
 */
export function step(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): { state: PathwayState; commands: PathwayCommand[] } {
  const commands = decide(state, input, policy);
  let next = applyCommands(evolve(state, input), commands);
  if (input.kind !== 'event' || state.stage !== 'none') return { state: next, commands };
  const held = [...(state.heldBeforeEnrolment ?? []), input.event];
  if (next.stage === 'none') return { state: { ...next, heldBeforeEnrolment: held.slice(-MAX_HELD_BEFORE_ENROLMENT) }, commands };

  next = { ...next, heldBeforeEnrolment: undefined };
  const later = held
    .filter((e) => e.id !== input.event.id)
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.id.localeCompare(b.id));
  const all = [...commands];
  for (const event of later) {
    const r = step(next, { kind: 'event', event, at: input.at }, policy);
    next = r.state;
    all.push(...r.commands);
  }
  return { state: next, commands: all };
}

/** 2.9: the pathway closes when the last bereavement task is closed and none is still to open. */
function settle(s: PathwayState): PathwayState {
  if (s.stage !== 'bereavement') return s;
  const pending = openTasks(s).length > 0 || Object.values(s.timers).some((t) => t.purpose.kind === 'bereavement-open');
  return pending ? s : { ...s, stage: 'closed' };
}
