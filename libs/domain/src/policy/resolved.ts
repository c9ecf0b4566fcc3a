import type { PathwayPolicy } from './policy';
import { parseDuration } from './duration';

// No zod here: this is what the pathway workflow needs of the policy, and the workflow bundle
// stays small without the validators (policy.ts), which only the services' edges use.

export const DEFAULT_POLICY: PathwayPolicy = {
  version: '2026-12-1',
  enrolment: {
    assignKeyWorker: { due: 'P2D', priority: 'soon' },
    baselineAssessment: { due: 'P14D', priority: 'routine' },
    explainPalliativeCare: { due: 'P14D', priority: 'routine' },
    acpConversation: { due: 'P30D', priority: 'routine' },
    gpUpdateWithin: 'P1D',
  },
  proms: {
    interval: 'P30D',
    intervalDuringSystemicTherapy: 'P30D',
    reminders: ['P2D', 'P4D'],
    notReturnedAfter: 'P5D',
    notReturned: { due: 'P1D', priority: 'soon' },
    severeAtLeast: 7,
    moderateAtLeast: 4,
    worseningBy: 2,
    distressAtLeast: 4,
    severeReview: { due: 'P1D', priority: 'urgent' },
    worseningReview: { due: 'P3D', priority: 'soon' },
    moderateReview: { due: 'P7D', priority: 'routine' },
    emotionalPsychosocial: { due: 'P3D', priority: 'soon' },
    distressPsychosocial: { due: 'P7D', priority: 'routine' },
    followUpAfterReview: 'P7D',
  },
  referral: {
    proposalDue: { urgent: 'P1D', soon: 'P3D', routine: 'P7D' },
    triageDue: { urgent: 'P1D', soon: 'P3D', routine: 'P10D' },
    timeBasedProposeAfter: 'P6W',
    timeBasedProposalDueAfter: 'P8W',
    timeBasedEscalateAfter: 'P12W',
    medianSurvivalMonthsAtMost: 12,
    progressionLineAtLeast: 2,
    reofferAfterDecline: 'P90D',
  },
  acp: { reofferEvery: 'P182D', notReadyReofferAfter: 'P90D', readyReminderAfter: 'P30D', readyEscalationAfter: 'P45D' },
  safeguards: {
    hospicePrognosisMonthsAtMost: 3,
    poorPerformanceEcogAtLeast: 3,
    hospiceDiscussion: { due: 'P7D', priority: 'soon' },
    sactPrognosisMonthsBelow: 1,
    sactMdtReview: { due: 'P1D', priority: 'urgent' },
  },
  transitions: {
    gpNotifyWithin: 'P1D',
    dischargeFollowUp: { due: 'P2D', priority: 'soon' },
    dischargeFollowUpLivingAlone: 'P1D',
    unplannedAdmissionsAtLeast: 2,
    unplannedAdmissionsWindow: 'P30D',
    readmissionMdtReview: { due: 'P3D', priority: 'soon' },
  },
  caregivers: { assessment: { due: 'P30D', priority: 'routine' } },
  endOfLife: {
    eolCarePlan: { due: 'P1D', priority: 'urgent' },
    symptomCheckEvery: 'P1D',
    symptomCheck: { due: 'PT4H', priority: 'urgent' },
    onCallAfter: 'PT1H',
  },
  bereavement: {
    contact: { due: 'P14D', priority: 'routine' },
    checkInOpensAfter: 'P6W',
    checkInDueAfter: 'P8W',
    griefScreeningOpensAfter: ['P182D', 'P395D'],
    griefScreeningDue: 'P14D',
  },
  escalation: {
    graceFraction: 0.5,
    graceAtLeast: 'PT1H',
    graceAtMost: 'P2D',
    onCallAfter: 'PT1H',
    serviceLeadTask: { due: 'P1D', priority: 'soon' },
    onCallTask: { due: 'PT1H', priority: 'urgent' },
  },
  digest: { schedule: '0 7 * * 1', timeZone: 'Europe/London' },
  patientContact: {
    linkValidFor: 'P7D',
    onCallNumber: '0300 123 4567',
    emergencyNumber: '999',
    quietHours: { from: '21:00', to: '08:00' },
    timeZone: 'Europe/London',
  },
  delivery: {
    patient: ['sms', 'email'],
    caregiver: ['sms', 'email'],
    gp: ['email'],
    'key-worker': ['in-app', 'email'],
    queue: ['in-app', 'email'],
    team: ['in-app', 'email'],
  },
};

/** A policy with the time scale: what the rules engine consumes. */
export interface ResolvedPolicy {
  policy: PathwayPolicy;
  timeScale: number;
}

/** A policy duration in (scaled) milliseconds, never below 1 ms. */
export function durationMs(resolved: ResolvedPolicy, iso: string): number {
  return Math.max(1, Math.round(parseDuration(iso) / resolved.timeScale));
}

/**
 * A policy carried by a running pathway, completed with today's defaults for keys added since it
 * started (a newer policy version adds keys; running workflows keep their own values for the rest).
 */
export function upgradePolicy(resolved: ResolvedPolicy): ResolvedPolicy {
  return { policy: deepMerge(DEFAULT_POLICY, resolved.policy) as PathwayPolicy, timeScale: resolved.timeScale };
}

export function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined || override === null) return base;
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return override;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
