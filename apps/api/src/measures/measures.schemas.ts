import { z } from 'zod';
import { EQUITY_GROUP_NAMES, EQUITY_GROUPS, isMeasureId, MEASURE_FAMILIES, QUEUES } from '@tandem/domain';
import type { EquityGroup, MeasureFamily, MeasureFigure, MeasureId, MeasuresReport, Queue } from '@tandem/domain';
import type { Digest, DigestSummary, DrillDownItem } from '@tandem/db';

/** The years a period may name: a date outside them is a 400 (never a 500 from the date arithmetic), stated in the document. */
export const PERIOD_DATE_BOUNDS = { min: '1900-01-01', max: '2099-12-31' } as const;
/** A calendar date (zod's ISO date: a real day, leap years included) within PERIOD_DATE_BOUNDS (a pattern in the document). */
const date = z.iso
  .date({ error: 'a calendar date as YYYY-MM-DD' })
  .regex(/^(19|20)\d{2}-/, `a date from ${PERIOD_DATE_BOUNDS.min} to ${PERIOD_DATE_BOUNDS.max}`)
  .describe(`a calendar date from ${PERIOD_DATE_BOUNDS.min} to ${PERIOD_DATE_BOUNDS.max}`);
const team = z.enum(QUEUES as unknown as [Queue, ...Queue[]], { message: `a queue: ${QUEUES.join(', ')}` });
const group = z.enum(EQUITY_GROUP_NAMES as [EquityGroup, ...EquityGroup[]], { message: `one of ${EQUITY_GROUP_NAMES.join(', ')}` });
/** The longest period asked for at once: the measures cover a network's years, not its decades. */
const MAX_PERIOD_DAYS = 3 * 366;

const period = <T extends { from?: string; to?: string }>(q: T, ctx: z.RefinementCtx) => {
  if (q.from && q.to) {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
    else if (days > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `a period of at most ${MAX_PERIOD_DAYS} days` });
  }
};

export const measuresQuerySchema = z
  .object({ from: date.optional(), to: date.optional(), team: team.optional(), group: group.optional() })
  .strict()
  .superRefine(period);
export type MeasuresQuery = z.infer<typeof measuresQuerySchema>;

export const measureIdSchema = z
  .string()
  .max(64)
  .refine((id): id is MeasureId => isMeasureId(id), 'not a measure id (see GET /api/v1/measures)')
  .transform((id) => id);

export const drillDownQuerySchema = z
  .object({
    from: date.optional(),
    to: date.optional(),
    team: team.optional(),
    group: group.optional(),
    key: z.string().max(16).optional(),
    in: z.enum(['numerator', 'denominator']).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
  .superRefine(period)
  .superRefine((q, ctx) => {
    if (q.key !== undefined && !q.group) ctx.addIssue({ code: 'custom', path: ['key'], message: 'key needs group' });
    if (q.key !== undefined && q.group && !(EQUITY_GROUPS[q.group] as readonly string[]).includes(q.key))
      ctx.addIssue({ code: 'custom', path: ['key'], message: `a key of ${q.group}: ${EQUITY_GROUPS[q.group].join(', ')}` });
  });
export type DrillDownQuery = z.infer<typeof drillDownQuerySchema>;

export const trendQuerySchema = z.object({ months: z.coerce.number().int().min(1).max(36).default(12), team: team.optional() }).strict();
export type TrendQuery = z.infer<typeof trendQuerySchema>;

export const digestsQuerySchema = z.object({ team: team.optional() }).strict();
export const digestIdSchema = z.string().uuid('a digest id (UUID)');

// Response shapes for the OpenAPI document, checked against the domain types they describe
// (a renamed field fails the compiler here).
const family = z.enum(Object.keys(MEASURE_FAMILIES) as [MeasureFamily, ...MeasureFamily[]]);
const target = z.object({ op: z.enum(['<', '>=']), value: z.number(), source: z.string() });
const count = z.number().int().nullable();
const groupFigure = z.object({
  key: z.string(),
  numerator: count.optional(),
  denominator: count.optional(),
  value: z.number().nullable(),
  // [low, high]: a two-number array rather than a tuple, whose `prefixItems` schemathesis 4.32 misreads.
  ci: (z.array(z.number()).length(2) as unknown as z.ZodType<[number, number]>).nullable().optional(),
  suppressed: z.literal(true).optional(),
});
export const measureFigureSchema = groupFigure.omit({ key: true }).extend({
  id: z.string() as z.ZodType<MeasureId>,
  family,
  label: z.string(),
  unit: z.enum(['percent', 'days', 'points', 'count', 'seconds']),
  target: target.optional(),
  meetsTarget: z.boolean().nullable().optional(),
  groups: z.array(groupFigure).optional(),
}) satisfies z.ZodType<MeasureFigure>;
export const measuresReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  team: z.string().optional(),
  group: group.optional(),
  generatedAt: z.string(),
  measures: z.array(measureFigureSchema),
  families: z.array(z.object({ id: family, label: z.string() })),
  groups: z.array(z.object({ id: group, label: z.string(), keys: z.array(z.string()).readonly() })),
}) satisfies z.ZodType<MeasuresReport>;
export const drillDownSchema = z.object({
  items: z.array(z.object({ patientId: z.string(), indexDate: z.string(), inNumerator: z.boolean() })),
  nextCursor: z.string().nullable(),
}) satisfies z.ZodType<{ items: DrillDownItem[]; nextCursor: string | null }>;
export const trendSchema = z.object({
  id: z.string(),
  unit: z.string(),
  team: z.string().optional(),
  months: z.array(groupFigure.omit({ key: true }).extend({ month: z.string() })),
});
const digestSummary = z.object({
  id: z.string().uuid(),
  team: z.string(),
  weekStart: z.string(),
  weekEnd: z.string(),
  generatedAt: z.string(),
}) satisfies z.ZodType<DigestSummary>;
export const digestListSchema = z.object({ items: z.array(digestSummary) });
export const digestSchema = digestSummary.extend({
  measures: z.array(
    measureFigureSchema.extend({
      previous: z.object({ numerator: count.optional(), denominator: count.optional(), value: z.number().nullable(), suppressed: z.literal(true).optional() }),
      change: z.number().nullable(),
    }),
  ),
}) satisfies z.ZodType<Digest>;
