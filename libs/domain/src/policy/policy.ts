import { z } from 'zod';
import { PRIORITIES } from '../tasks/vocabulary';
import type { DeliveryChannel, RecipientRole } from '../pathway/inputs';
import { DELIVERY_CHANNELS, RECIPIENT_ROLES } from '../pathway/inputs';
import { isDuration } from './duration';
import { deepMerge, DEFAULT_POLICY } from './resolved';

export { DEFAULT_POLICY, durationMs, upgradePolicy } from './resolved';
export type { ResolvedPolicy } from './resolved';

const duration = z.string().refine(isDuration, 'expected an ISO-8601 duration such as P2D or PT1H');
const task = z.strictObject({ due: duration, priority: z.enum(PRIORITIES) });
const score = z.number().int().min(0).max(10);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, e.g. 21:00');
const byPriority = z.strictObject({ urgent: duration, soon: duration, routine: duration });

/**
 * The pathway policy: every number of docs/clinical-rules.md lives here, never in workflow code. The shipped
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
  digest: z.strictObject({
    schedule: z.string().regex(/^\S+( \S+){4}$/, 'a cron expression of five fields, e.g. "0 7 * * 1" (Mondays 07:00)'),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London'),
  }),
  patientContact: z.strictObject({
    linkValidFor: duration,
    onCallNumber: z.string().trim().min(3).max(40),
    emergencyNumber: z.string().trim().min(2).max(20),
    quietHours: z.strictObject({ from: clock, to: clock }),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London'),
  }),
  delivery: z.strictObject(
    Object.fromEntries(RECIPIENT_ROLES.map((r) => [r, z.array(z.enum(DELIVERY_CHANNELS)).max(DELIVERY_CHANNELS.length)])) as Record<
      RecipientRole,
      z.ZodArray<z.ZodEnum<{ [K in DeliveryChannel]: K }>>
    >,
  ),
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type PathwayPolicy = z.infer<typeof pathwayPolicySchema>;
export type TaskPolicy = z.infer<typeof task>;

export type PolicyParseResult = { ok: true; policy: PathwayPolicy } | { ok: false; problems: string[] };

/** Validates a policy document (e.g. a parsed TANDEM_POLICY file) merged over the defaults. */
export function parsePolicy(document: unknown): PolicyParseResult {
  const merged = deepMerge(DEFAULT_POLICY, document);
  const parsed = pathwayPolicySchema.safeParse(merged);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
