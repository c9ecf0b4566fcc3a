import type { ResolvedPolicy } from '../policy/policy';
import type { PathwayCommand, PathwayInput } from './inputs';
import { EVENT_RULES } from './rules';
import type { PathwayState } from './state';

/** The new state after an input: pure, no commands. */
export function evolve(state: PathwayState, input: PathwayInput): PathwayState {
  switch (input.kind) {
    case 'event': {
      const { event } = input;
      if (event.type === 'diagnosis.recorded' && event.data.advanced && state.stage === 'none') {
        return {
          ...state,
          stage: 'enrolled',
          enrolledAt: event.time,
          diagnosis: { cancerType: event.data.cancerType, diagnosedAt: event.data.diagnosedAt, eventId: event.id },
        };
      }
      return state;
    }
    case 'task.completed': {
      const task = state.tasks[input.commandId];
      if (!task || task.status !== 'open') return state;
      return { ...state, tasks: { ...state.tasks, [input.commandId]: { ...task, status: 'done', outcome: input.outcome, closedAt: input.completedAt } } };
    }
    default:
      return input satisfies never;
  }
}

/** The commands an input calls for, judged against the state *before* it. */
export function decide(state: PathwayState, input: PathwayInput, policy: ResolvedPolicy): PathwayCommand[] {
  switch (input.kind) {
    case 'event':
      return EVENT_RULES.flatMap((rule) => rule.onEvent(state, input.event, input.at, policy));
    case 'task.completed':
      return [];
    default:
      return input satisfies never;
  }
}

/** Applies commands' effects on the state (an opened task becomes part of it). */
export function applyCommands(state: PathwayState, commands: readonly PathwayCommand[]): PathwayState {
  let tasks = state.tasks;
  for (const c of commands) {
    if (c.kind === 'open-task' && !tasks[c.commandId]) {
      tasks = { ...tasks, [c.commandId]: { commandId: c.commandId, ...c.task, status: 'open' } };
    }
  }
  return tasks === state.tasks ? state : { ...state, tasks };
}
