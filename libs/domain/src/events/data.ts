import { z } from 'zod';

/** `data` schemas of every clinical event type (CONTRACT.md section 3). */

const isoDate = z.iso.date({ error: 'expected a date YYYY-MM-DD' });
const score = z.number().int().min(0).max(10);
const contact = z.strictObject({ phone: z.string().max(64).optional(), email: z.email().optional() });

export const ESAS_ITEMS = ['pain', 'tiredness', 'drowsiness', 'nausea', 'appetite', 'breathlessness', 'depression', 'anxiety', 'wellbeing'] as const;

const esasScores = z
  .strictObject(Object.fromEntries(ESAS_ITEMS.map((item) => [item, score.optional()])) as Record<(typeof ESAS_ITEMS)[number], z.ZodOptional<typeof score>>)
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'at least one ESAS-r item is required')
  // The refinement above, in the published JSON Schema.
  .meta({ minProperties: 1 });

const promSubmitted = z.discriminatedUnion('instrument', [
  z.object({ instrument: z.literal('ESAS-r'), responseId: z.string().min(1), requestId: z.string().min(1).optional(), scores: esasScores }),
  z.object({
    instrument: z.literal('DT'),
    responseId: z.string().min(1),
    requestId: z.string().min(1).optional(),
    scores: z.strictObject({ distress: score }),
  }),
]);

export const CLINICAL_FLAGS = [
  'delirium',
  'brain-metastases',
  'leptomeningeal-metastases',
  'spinal-cord-compression',
  'cauda-equina-compression',
  'hastened-death-request',
  'existential-crisis',
  'decision-support-needed',
  'patient-request',
] as const;

const place = z.enum(['home', 'hospice', 'hospital', 'care-home']);

export const eventDataSchemas = {
  'patient.registered': z.object({
    birthDate: isoDate,
    sex: z.string().max(32).optional(),
    livesAlone: z.boolean().optional(),
    rural: z.boolean().optional(),
    deprivationQuintile: z.number().int().min(1).max(5).optional(),
    preferredLanguage: z.string().max(64).optional(),
    interpreterNeeded: z.boolean().optional(),
    gpPracticeId: z.string().max(64).optional(),
    contact: contact.optional(),
  }),
  'diagnosis.recorded': z.object({
    cancerType: z.string().regex(/^[A-Z]\d{2}(\.\d{1,2})?$/, 'expected an ICD-10 code, e.g. C34.9'),
    stage: z.string().max(32).optional(),
    advanced: z.boolean(),
    diagnosedAt: isoDate,
    medianSurvivalMonths: z.number().positive().optional(),
  }),
  'treatment.started': z.object({ line: z.number().int().min(1), intent: z.enum(['curative', 'palliative']), regimen: z.string().max(128).optional() }),
  'disease.progressed': z.object({ line: z.number().int().min(0) }),
  'sact.administered': z.object({ regimen: z.string().max(128).optional() }),
  'performance.recorded': z.object({ ecog: z.number().int().min(0).max(4) }),
  'prognosis.estimated': z.object({ months: z.number().nonnegative() }),
  'clinical.flag': z.object({ flag: z.enum(CLINICAL_FLAGS) }),
  'prom.submitted': promSubmitted,
  'encounter.admitted': z.object({
    encounterId: z.string().min(1),
    setting: z.enum(['inpatient', 'emergency', 'icu', 'hospice']),
    planned: z.boolean().optional(),
  }),
  'encounter.discharged': z.object({ encounterId: z.string().min(1), destination: z.enum(['home', 'care-home', 'hospice', 'other']) }),
  'palliative.contact': z.object({ team: z.enum(['specialist', 'community']) }),
  'acp.documented': z.object({
    codeStatus: z.enum(['for-resuscitation', 'dnacpr']).optional(),
    advanceDirective: z.boolean().optional(),
    surrogate: z.boolean().optional(),
    preferredPlaceOfCare: z.string().max(64).optional(),
    preferredPlaceOfDeath: place.optional(),
  }),
  'caregiver.registered': z.object({
    caregiverId: z.string().min(1),
    relationship: z.string().min(1).max(64),
    consentToShare: z.boolean(),
    contact: contact.optional(),
  }),
  'consent.changed': z.object({ scope: z.enum(['proms', 'referral', 'pathway']), decision: z.enum(['granted', 'declined', 'withdrawn']) }),
  'patient.dying': z.object({}),
  'patient.died': z.object({ placeOfDeath: z.enum(['home', 'hospice', 'hospital', 'care-home', 'other']) }),
  'patient.transferred': z.object({ toOrganisation: z.string().min(1).max(128) }),
} as const;

export type ClinicalEventType = keyof typeof eventDataSchemas;
export const CLINICAL_EVENT_TYPES = Object.keys(eventDataSchemas) as ClinicalEventType[];
export type EventData<T extends ClinicalEventType> = z.infer<(typeof eventDataSchemas)[T]>;
