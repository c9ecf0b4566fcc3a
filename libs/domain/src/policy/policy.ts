import { z } from 'zod';
import { PRIORITIES } from '../tasks/vocabulary';
import { isDuration, parseDuration } from './duration';

const duration = z.string().refine(isDuration, 'expected an ISO-8601 duration such as P2D or PT1H');
const task = z.strictObject({ due: duration, priority: z.enum(PRIORITIES) });
const score = z.number().int().min(0).max(10);
const byPriority = z.strictObject({ urgent: duration, soon: duration, routine: duration });

/**
 * The pathway policy: every number of DOMAIN.md lives here, never in workflow code. The shipped
 * defaults are libs/domain/policy/default-policy.yaml (with comments); DEFAULT_POLICY below is the
 * same document in code, and a test keeps the two equal.
 */
export const pathwayPolicySchema = z.strictObject({
  version: z.string().min(1),
  enrolment: z.strictObject({
    assignKeyWorker: task,
    baselineAssessment: task,
    explainPalliativeCare: task,
    acpConversation: task,
    gpUpdateWithin: duration,
  }),
  proms: z.strictObject({
    interval: duration,
    intervalDuringSystemicTherapy: duration,
    reminders: z.array(duration).max(5),
    notReturnedAfter: duration,
    notReturned: task,
    severeAtLeast: score,
    moderateAtLeast: score,
    worseningBy: z.number().int().min(1).max(10),
    distressAtLeast: score,
    severeReview: task,
    worseningReview: task,
    moderateReview: task,
    emotionalPsychosocial: task,
    distressPsychosocial: task,
    followUpAfterReview: duration,
  }),
  referral: z.strictObject({
    proposalDue: byPriority,
    triageDue: byPriority,
    timeBasedProposeAfter: duration,
    timeBasedProposalDueAfter: duration,
    timeBasedEscalateAfter: duration,
    medianSurvivalMonthsAtMost: z.number().positive(),
    progressionLineAtLeast: z.number().int().min(1),
    reofferAfterDecline: duration,
  }),
  acp: z.strictObject({
    reofferEvery: duration,
    notReadyReofferAfter: duration,
    readyReminderAfter: duration,
    readyEscalationAfter: duration,
  }),
  safeguards: z.strictObject({
    hospicePrognosisMonthsAtMost: z.number().nonnegative(),
    poorPerformanceEcogAtLeast: z.number().int().min(0).max(4),
    hospiceDiscussion: task,
    sactPrognosisMonthsBelow: z.number().nonnegative(),
    sactMdtReview: task,
  }),
  transitions: z.strictObject({
    gpNotifyWithin: duration,
    dischargeFollowUp: task,
    dischargeFollowUpLivingAlone: duration,
    unplannedAdmissionsAtLeast: z.number().int().min(2),
    unplannedAdmissionsWindow: duration,
    readmissionMdtReview: task,
  }),
  caregivers: z.strictObject({ assessment: task }),
  endOfLife: z.strictObject({ eolCarePlan: task, symptomCheckEvery: duration, symptomCheck: task, onCallAfter: duration }),
  bereavement: z.strictObject({
    contact: task,
    checkInOpensAfter: duration,
    checkInDueAfter: duration,
    griefScreeningOpensAfter: z.array(duration).min(1),
    griefScreeningDue: duration,
  }),
  escalation: z.strictObject({
    graceFraction: z.number().positive().max(1),
    graceAtLeast: duration,
    graceAtMost: duration,
    onCallAfter: duration,
    serviceLeadTask: task,
    onCallTask: task,
  }),
});

export type PathwayPolicy = z.infer<typeof pathwayPolicySchema>;
export type TaskPolicy = z.infer<typeof task>;

export const DEFAULT_POLICY: PathwayPolicy = {
  version: '2026-11-1',
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

export type PolicyParseResult = { ok: true; policy: PathwayPolicy } | { ok: false; problems: string[] };

/** Validates a policy document (e.g. a parsed TANDEM_POLICY file) merged over the defaults. */
export function parsePolicy(document: unknown): PolicyParseResult {
  const merged = deepMerge(DEFAULT_POLICY, document);
  const parsed = pathwayPolicySchema.safeParse(merged);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

/**
 * A policy carried by a running pathway, completed with today's defaults for keys added since it
 * started (a newer policy version adds keys; running workflows keep their own values for the rest).
 */
export function upgradePolicy(resolved: ResolvedPolicy): ResolvedPolicy {
  return { policy: deepMerge(DEFAULT_POLICY, resolved.policy) as PathwayPolicy, timeScale: resolved.timeScale };
}

function deepMerge(base: unknown, override: unknown): unknown {
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
