import type { ClinicalEvent } from '../events/envelope';
import type { ResolvedPolicy } from '../policy/policy';
import { durationMs } from '../policy/policy';
import type { PathwayCommand } from './inputs';
import type { PathwayState } from './state';

/** A rule: a DOMAIN.md id and a pure function from (state before, event, policy) to commands. */
export interface EventRule {
  id: string;
  onEvent(before: PathwayState, event: ClinicalEvent, at: string, policy: ResolvedPolicy): PathwayCommand[];
}

const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** DOMAIN.md 2.1: at enrolment, assign a named key worker (care coordinator). */
export const enrolmentAssignKeyWorker: EventRule = {
  id: '2.1.enrolment.assign-key-worker',
  onEvent(before, event, at, resolved) {
    if (event.type !== 'diagnosis.recorded' || !event.data.advanced) return [];
    if (before.stage !== 'none') return []; // already enrolled: one key-worker assignment per pathway
    const { due, priority } = resolved.policy.enrolment.assignKeyWorker;
    return [
      {
        kind: 'open-task',
        commandId: `${this.id}#${event.id}`,
        task: {
          type: 'assign-key-worker',
          priority,
          dueAt: addMs(at, durationMs(resolved, due)),
          reason: {
            rule: this.id,
            evidence: { eventIds: [event.id], cancerType: event.data.cancerType, diagnosedAt: event.data.diagnosedAt, advanced: true },
          },
        },
      },
    ];
  },
};

export const EVENT_RULES: readonly EventRule[] = [enrolmentAssignKeyWorker];
