import { z } from 'zod';
import { STAGES } from '@tandem/domain';

const reasonSchema = z.object({ rule: z.string(), evidence: z.record(z.string(), z.unknown()) });

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
  timeline: z.array(
    z.object({ at: z.string(), kind: z.enum(['task', 'notification', 'fact']), what: z.string(), rule: z.string().optional(), taskId: z.string().optional() }),
  ),
});

export type PathwayResponse = z.infer<typeof pathwaySchema>;
