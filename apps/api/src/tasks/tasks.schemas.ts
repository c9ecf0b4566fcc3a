import { z } from 'zod';
import { QUEUES, TASK_STATUSES, TASK_TYPES } from '@tandem/domain';

export const taskIdSchema = z.uuid({ error: 'task id must be a UUID' });

export const listTasksQuerySchema = z.strictObject({
  queue: z.enum(QUEUES).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  patientId: z.string().min(1).max(64).optional(),
  type: z.enum(Object.keys(TASK_TYPES) as [keyof typeof TASK_TYPES, ...(keyof typeof TASK_TYPES)[]]).optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const completeTaskBodySchema = z.strictObject({
  outcome: z.string().min(1).max(64),
  note: z.string().max(2_000).optional(),
});

export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;
export type CompleteTaskBody = z.infer<typeof completeTaskBodySchema>;
