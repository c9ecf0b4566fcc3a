import type { ClinicalEvent } from '../events/envelope';
import type { TaskType } from '../tasks/vocabulary';
import type { TaskSpec } from './inputs';
import type { TimerPurpose } from './timers';

/** DOMAIN.md section 2 stages; `none` before enrolment. */
export const STAGES = ['none', 'enrolled', 'concurrent-care', 'specialist-involvement', 'end-of-life', 'bereavement', 'closed'] as const;
export type Stage = (typeof STAGES)[number];
export type Level = 'primary' | 'secondary' | 'tertiary';

/** A task the pathway opened, keyed by the command that opened it (its idempotency key). */
export interface PathwayTask extends TaskSpec {
  commandId: string;
  status: 'open' | 'done' | 'cancelled';
  escalationLevel: number;
  outcome?: string;
  closedAt?: string;
}

export interface Timer {
  fireAt: string;
  purpose: TimerPurpose;
}

export type ConsentDecision = 'granted' | 'declined' | 'withdrawn';

export interface PathwayState {
  patientId: string;
  stage: Stage;
  level: Level;
  enrolledAt?: string;
  diagnosis?: { cancerType: string; diagnosedAt: string; eventId: string; medianSurvivalMonths?: number };
  patient: { livesAlone?: boolean; registeredEventId?: string };
  flags: string[];
  consent: {
    proms: { decision: ConsentDecision; at: string };
    referral: { decision: ConsentDecision; at: string };
    pathway: { decision: ConsentDecision; at: string };
  };
  clinical: {
    ecog?: { value: number; at: string };
    prognosisMonths?: { value: number; at: string };
    onSystemicTherapy: boolean;
    /** Unplanned admissions and ED visits, by clinical time, for the readmission rule. */
    unplannedAdmissions: Array<{ at: string; eventId: string }>;
    dyingAt?: string;
    diedAt?: string;
    specialistContactAt?: string;
  };
  proms: {
    /** The latest score of each item with its clinical time (for "worse by 2" and the closed loop). */
    latest: Record<string, { score: number; at: string; eventId: string }>;
    /** The open request, if any: reminders and the not-returned task hang off it. */
    outstanding?: { requestId: string; sentAt: string; instruments: string[] };
    requestsSent: number;
    /** A closed-loop follow-up request in flight: the items that were severe at the review. */
    followUp?: { reviewCommandId: string; items: string[] };
  };
  referral: { status: 'none' | 'proposed' | 'declined' | 'sent' | 'seen'; declinedAt?: string; proposalCommandId?: string; triageCommandId?: string };
  acp: { status: 'not-started' | 'offered' | 'ready' | 'not-ready' | 'declined' | 'documented'; documentedAt?: string; preferredPlaceOfDeath?: string };
  caregivers: Array<{ caregiverId: string; consentToShare: boolean }>;
  tasks: Record<string, PathwayTask>;
  timers: Record<string, Timer>;
  /** Monotonic counter that makes command ids unique within a pathway. */
  sequence: number;
  /**
   * Events that arrived before enrolment (DOMAIN.md invariant 6): those clinically later than the
   * enrolling diagnosis are decided again once it arrives, as if they had come in clinical order.
   */
  heldBeforeEnrolment?: ClinicalEvent[];
}

const granted = (at: string) => ({ decision: 'granted' as const, at });

export function initialState(patientId: string): PathwayState {
  const epoch = '1970-01-01T00:00:00.000Z';
  return {
    patientId,
    stage: 'none',
    level: 'secondary',
    patient: {},
    flags: [],
    consent: { proms: granted(epoch), referral: granted(epoch), pathway: granted(epoch) },
    clinical: { onSystemicTherapy: false, unplannedAdmissions: [] },
    proms: { latest: {}, requestsSent: 0 },
    referral: { status: 'none' },
    acp: { status: 'not-started' },
    caregivers: [],
    tasks: {},
    timers: {},
    sequence: 0,
  };
}

export const openTasks = (s: PathwayState): PathwayTask[] => Object.values(s.tasks).filter((t) => t.status === 'open');
export const openTaskOf = (s: PathwayState, type: TaskType, subject: string = type): PathwayTask | undefined =>
  openTasks(s).find((t) => t.type === type && t.subject === subject);
export const isDead = (s: PathwayState): boolean => s.clinical.diedAt !== undefined;
export const isClosed = (s: PathwayState): boolean => s.stage === 'closed';
export const isActive = (s: PathwayState): boolean => s.stage !== 'none' && s.stage !== 'closed' && !isDead(s);
