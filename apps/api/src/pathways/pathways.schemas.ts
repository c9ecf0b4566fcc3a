import { z } from 'zod';
import { STAGES } from '@tandem/domain';

const reasonSchema = z.object({ rule: z.string(), evidence: z.record(z.string(), z.unknown()) });
const consentSchema = z.object({ decision: z.enum(['granted', 'declined', 'withdrawn']), at: z.string() });

/** The pathway view of `GET /api/v1/patients/{patientId}/pathway`: the response type and its OpenAPI schema. */
export const pathwaySchema = z.object({
  patientId: z.string(),
  stage: z.enum(STAGES),
  level: z.enum(['primary', 'secondary', 'tertiary']),
  flags: z.array(z.string()),
  /** Why and when a closed pathway closed (it stays closed and remembers: bereavement complete, withdrawn, declined, transferred). */
  closure: z.object({ reason: z.enum(['bereavement-complete', 'withdrawn', 'declined', 'transferred']), at: z.string() }).optional(),
  openTasks: z.array(
    z.object({ type: z.string(), queue: z.string(), priority: z.string(), dueAt: z.string(), taskId: z.string().optional(), reason: reasonSchema }),
  ),
  nextTimers: z.array(z.object({ fireAt: z.string(), kind: z.string() })),
  /** Steps whose writes PostgreSQL refused for good (data or constraint errors): for operations to look into. */
  problems: z.array(z.object({ at: z.string(), stepKey: z.string().optional(), type: z.string(), message: z.string() })),
  referral: z.object({ status: z.enum(['none', 'proposed', 'declined', 'sent', 'seen']), declinedAt: z.string().optional() }),
  acp: z.object({
    status: z.enum(['not-started', 'offered', 'ready', 'not-ready', 'declined', 'documented']),
    documentedAt: z.string().optional(),
    preferredPlaceOfDeath: z.string().optional(),
    codeStatus: z.string().optional(),
  }),
  consent: z.object({ proms: consentSchema, referral: consentSchema, pathway: consentSchema }),
  caregivers: z.array(z.object({ caregiverId: z.string(), consentToShare: z.boolean() })),
  /**
   * Present while the pathway steps a loaded history on its clinical clock (ADR 0019): the clinical
   * time it has reached. It comes to the present when told the history is loaded, or at a live event.
   */
  catchingUpAt: z.string().optional(),
  /** Newest first: the clinical events themselves, task changes, notifications and facts (codes in `code`, words in the console). */
  timeline: z.array(
    z.object({
      at: z.string(),
      kind: z.enum(['event', 'task', 'notification', 'fact']),
      what: z.string(),
      code: z.string(),
      status: z.string().optional(),
      outcome: z.string().optional(),
      recipient: z.string().optional(),
      rule: z.string().optional(),
      taskId: z.string().optional(),
      /** A clinical event's provenance: how it came (API principal, the patient's PROM link, or Kafka), by whom, and where the kafka-bridge read it. */
      broughtBy: z
        .object({
          via: z.enum(['api', 'prom-page', 'kafka']),
          by: z.string().optional(),
          roles: z.array(z.string()).optional(),
          topic: z.string().optional(),
          partition: z.number().int().optional(),
          offset: z.string().optional(),
        })
        .optional(),
    }),
  ),
});

/** `GET /api/v1/patients/{patientId}/symptoms`: every PROM response over time, with the policy's bands. */
export const symptomsSchema = z.object({
  patientId: z.string(),
  bands: z.object({ moderateAtLeast: z.number().int(), severeAtLeast: z.number().int(), distressAtLeast: z.number().int() }),
  responses: z.array(z.object({ at: z.string(), instrument: z.enum(['ESAS-r', 'DT']), scores: z.record(z.string(), z.number()) })),
});
export type SymptomsResponse = z.infer<typeof symptomsSchema>;

export type PathwayResponse = z.infer<typeof pathwaySchema>;
