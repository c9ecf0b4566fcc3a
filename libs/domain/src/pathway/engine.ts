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

/** The whole step the workflow takes for one input. */
export function step(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): { state: PathwayState; commands: PathwayCommand[] } {
  const commands = decide(state, input, policy);
  return { state: applyCommands(evolve(state, input), commands), commands };
}

/** 2.9: the pathway closes when the last bereavement task is closed and none is still to open. */
function settle(s: PathwayState): PathwayState {
  if (s.stage !== 'bereavement') return s;
  const pending = openTasks(s).length > 0 || Object.values(s.timers).some((t) => t.purpose.kind === 'bereavement-open');
  return pending ? s : { ...s, stage: 'closed' };
}
