import { z } from 'zod';
import { ESAS_ITEMS } from '@tandem/domain';
import { LANGUAGES } from '@tandem/prom-page';

const score = z.number().int().min(0).max(10);

/** What the PROM page sends: the answers per instrument (any subset of items; at least one answer in all). */
export const promAnswersSchema = z.strictObject({
  lang: z.enum(LANGUAGES as [string, ...string[]]).optional(),
  answers: z
    .strictObject({
      // minProperties: the refinement below, as the OpenAPI document says it.
      'ESAS-r': z
        .strictObject(Object.fromEntries(ESAS_ITEMS.map((i) => [i, score.optional()])) as Record<(typeof ESAS_ITEMS)[number], z.ZodOptional<typeof score>>)
        .meta({ minProperties: 1 })
        .optional(),
      DT: z.strictObject({ distress: score }).optional(),
    })
    .meta({ minProperties: 1 })
    .refine((a) => Object.values(a).some((s) => s && Object.values(s).some((v) => v !== undefined)), 'answer at least one question'),
});
export type PromAnswers = z.infer<typeof promAnswersSchema>;

export const langQuerySchema = z.strictObject({ lang: z.enum(LANGUAGES as [string, ...string[]]).optional() });
