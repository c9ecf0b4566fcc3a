import { revisionField, RULES_REVISION } from '../revisions/table';
import type { ClinicalEvent } from '../events/envelope';
import type { TaskType } from '../tasks/vocabulary';
import type { TaskSpec } from './inputs';
import type { TimerPurpose } from './timers';

/** docs/clinical-rules.md section 2 stages; `none` before enrolment. */
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


/** Why a closed pathway closed (docs/clinical-rules.md 2.10a): it stays closed and remembers. */
export type ClosureReason = 'bereavement-complete' | 'withdrawn' | 'declined' | 'transferred';

/** A clinical reading with its clinical time (ECOG, prognosis), kept for judging late events. */
export interface Reading {
  value: number;
  at: string;
  eventId?: string;
}

/** Readings and doses kept per pathway for clinical-order judgement; older ones are dropped. */
export const MAX_READINGS = 50;

export interface PathwayState {
  patientId: string;
  /** Rules revision (../revisions/table.ts); absent in states recorded before revisions existed (= 3). */
  revision?: number;
  stage: Stage;
  /** Set when the pathway closed: why and when (workflow time). Cleared by a re-enrolment. */
  closure?: { reason: ClosureReason; at: string; eventId?: string };
  level: Level;
  enrolledAt?: string;
  /** `at`: the diagnosis event's clinical time (revision 7), kept when it enrols nobody (2.10.closure.severe-answer). */
  diagnosis?: { cancerType: string; diagnosedAt: string; eventId: string; medianSurvivalMonths?: number; at?: string };
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
    /** Revision 4: where the patient died, kept for a bereavement follow-up started by a later diagnosis. */
    deathPlace?: string;
    specialistContactAt?: string;
    /** Revision 4: every ECOG and prognosis reading and SACT dose by clinical time (2.10a late events). */
    ecogReadings?: Reading[];
    prognosisReadings?: Reading[];
    sactDoses?: Array<{ at: string; eventId: string }>;
    /** Revision 4: encounters already counted (and by which event), so the same encounter sent twice is one admission. */
    encounters?: Array<{ encounterId: string; eventId: string }>;
  };
  proms: {
    /** The latest score of each item with its clinical time (for "worse by 2" and the closed loop). */
    latest: Record<string, { score: number; at: string; eventId: string }>;
    /** The open request, if any: reminders and the not-returned task hang off it. */
    outstanding?: { requestId: string; sentAt: string; instruments: string[] };
    requestsSent: number;
    /** Revision 4: recent responses in clinical order, so a late response is compared with its neighbours. */
    responses?: Array<{ at: string; eventId: string; scores: Record<string, number> }>;
    /** A closed-loop follow-up request in flight: the items that were severe at the review. */
    followUp?: { reviewCommandId: string; items: string[]; requestId?: string; sentAt?: string };
  };
  referral: { status: 'none' | 'proposed' | 'declined' | 'sent' | 'seen'; declinedAt?: string; proposalCommandId?: string; triageCommandId?: string };
  acp: {
    status: 'not-started' | 'offered' | 'ready' | 'not-ready' | 'declined' | 'documented';
    documentedAt?: string;
    preferredPlaceOfDeath?: string;
    codeStatus?: string;
  };
  caregivers: Array<{ caregiverId: string; consentToShare: boolean }>;
  tasks: Record<string, PathwayTask>;
  timers: Record<string, Timer>;
  /** Monotonic counter that makes command ids unique within a pathway. */
  sequence: number;
  /**
   * Events that arrived before enrolment (docs/clinical-rules.md invariant 6): those clinically later than the
   * enrolling diagnosis are decided again once it arrives, as if they had come in clinical order.
   */
  heldBeforeEnrolment?: ClinicalEvent[];
}

const granted = (at: string) => ({ decision: 'granted' as const, at });

export function initialState(patientId: string, revision: number = RULES_REVISION): PathwayState {
  const epoch = '1970-01-01T00:00:00.000Z';
  return {
    patientId,
    ...revisionField(revision),
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
/** Caregivers' own tasks are not patient tasks: a death does not cancel them (2.10a). */
export const isCaregiverTask = (t: Pick<PathwayTask, 'type' | 'subject'>): boolean => t.type === 'caregiver-assessment' || t.subject.startsWith('caregiver:');
/** The reading in force at a clinical instant: the latest one taken at or before it. */
export function readingAt(readings: readonly Reading[] | undefined, at: string): Reading | undefined {
  let best: Reading | undefined;
  for (const r of readings ?? []) if (Date.parse(r.at) <= Date.parse(at) && (!best || Date.parse(r.at) >= Date.parse(best.at))) best = r;
  return best;
}
/**
 * Adds an entry in clinical order, keeping the newest MAX_READINGS. The same event stepped again
 * (held before enrolment, then decided) replaces its own entry rather than adding a second.
 */
export function inClinicalOrder<T extends { at: string; eventId?: string }>(list: readonly T[] | undefined, item: T): T[] {
  const others = (list ?? []).filter((x) => item.eventId === undefined || x.eventId !== item.eventId);
  return [...others, item].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).slice(-MAX_READINGS);
}

/** Revision 4: an admission for an encounter already counted under another event (the same encounter sent again). */
export function isRepeatAdmission(s: PathwayState, encounterId: string, eventId: string): boolean {
  return (s.clinical.encounters ?? []).some((x) => x.encounterId === encounterId && x.eventId !== eventId);
}
