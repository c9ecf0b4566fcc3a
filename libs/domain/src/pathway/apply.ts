import type { PathwayCommand } from './inputs';
import type { PathwayState } from './state';
import { inForce } from '../revisions/table';

/** The bookkeeping effect of one command on the pathway state (tasks and timers). Pure. */
export function applyCommand(state: PathwayState, c: PathwayCommand): PathwayState {
  switch (c.kind) {
    case 'open-task':
      if (state.tasks[c.commandId]) return state;
      return {
        ...state,
        referral: referralAfterOpen(state, c.task.type, c.commandId),
        sequence: state.sequence + 1,
        tasks: { ...state.tasks, [c.commandId]: { commandId: c.commandId, ...c.task, status: 'open', escalationLevel: 0 } },
      };
    case 'update-task': {
      const t = state.tasks[c.target];
      if (!t || t.status !== 'open') return state;
      const evidence = { ...t.reason.evidence, ...c.reason.evidence };
      return {
        ...state,
        tasks: {
          ...state.tasks,
          [c.target]: {
            ...t,
            priority: c.priority,
            dueAt: c.dueAt,
            escalationLevel: c.escalationLevel ?? t.escalationLevel,
            reason: { rule: t.reason.rule, evidence },
            ...(c.memory ? { memory: c.memory } : {}),
          },
        },
      };
    }
    case 'close-task': {
      const t = state.tasks[c.target];
      if (!t || t.status !== 'open') return state;
      const withdrawn = t.type === 'specialist-referral-proposal' && state.referral.status === 'proposed';
      return {
        ...state,
        referral: withdrawn ? { ...state.referral, status: 'none' } : state.referral,
        tasks: { ...state.tasks, [c.target]: { ...t, status: c.status, outcome: c.status === 'cancelled' ? c.why : t.outcome, closedAt: c.at } },
      };
    }
    case 'schedule-timer':
      return { ...state, timers: { ...state.timers, [c.timerId]: { fireAt: c.fireAt, purpose: c.purpose } } };
    case 'cancel-timer': {
      if (!state.timers[c.timerId]) return state;
      const { [c.timerId]: _gone, ...rest } = state.timers;
      return { ...state, timers: rest };
    }
    case 'notify': {
      if (c.notification.kind !== 'prom-request') return state;
      const { requestId, sentAt, instruments, followUpOf, items } = c.notification.reason.evidence as {
        requestId: string;
        sentAt: string;
        instruments: string[];
        followUpOf?: string;
        items?: string[];
      };
      const followUp = followUpOf ? { reviewCommandId: followUpOf, items: items ?? [], ...(inForce(state, 'answers-its-request') ? { requestId, sentAt } : {}) } : state.proms.followUp;
      return { ...state, proms: { ...state.proms, outstanding: { requestId, sentAt, instruments }, requestsSent: state.proms.requestsSent + 1, followUp } };
    }
    case 'record-fact':
    case 'park-event':
      return state;
    default:
      return c satisfies never;
  }
}

export function applyCommands(state: PathwayState, commands: readonly PathwayCommand[]): PathwayState {
  return commands.reduce(applyCommand, state);
}

/** The referral's status follows the tasks that carry it: a proposal is open, then a triage (sent). */
function referralAfterOpen(state: PathwayState, type: string, commandId: string): PathwayState['referral'] {
  if (type === 'specialist-referral-proposal') return { ...state.referral, status: 'proposed', proposalCommandId: commandId };
  if (type === 'specialist-referral-triage') return { ...state.referral, status: 'sent', triageCommandId: commandId };
  return state.referral;
}
