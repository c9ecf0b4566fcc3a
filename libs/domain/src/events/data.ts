import { z } from 'zod';

/** `data` schemas of every clinical event type (docs/contract.md section 3). */

const isoDate = z.iso.date({ error: 'expected a date YYYY-MM-DD' }).max(10);
const score = z.number().int().min(0).max(10);
/**
 * Bounds of every identifier an event carries (docs/security.md "Bounds"): what a pathway keeps of
 * an event (task subjects, evidence, the de-duplication window) is then bounded too, and a caller
 * cannot make a pathway's state or query answer outgrow Temporal's limits with one long string.
 */
export const MAX_REFERENCE_LENGTH = 128;
/**
 * Text PostgreSQL can store: no NUL character, no lone UTF-16 surrogate (issue 26, finding 13). Written
 * so that it means the same in JavaScript (UTF-16 code units) and in the published JSON Schema read by
 * engines that see code points: a pair is one character there, and matches the first branch.
 */
export const STORABLE_TEXT = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;
export const UNSTORABLE_TEXT_MESSAGE = 'text with a NUL character or a lone surrogate cannot be stored';
/** Free text of at most `max` characters that PostgreSQL can store. */
export const text = (max: number, min = 0) => (min > 0 ? z.string().min(min) : z.string()).max(max).regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE);
/** An id another system gives (encounter, caregiver, PROM response or request): opaque, non-empty, bounded. */
const reference = text(MAX_REFERENCE_LENGTH, 1);
const contact = z.strictObject({ phone: text(64).optional(), email: z.email().max(254).optional() });

export const ESAS_ITEMS = ['pain', 'tiredness', 'drowsiness', 'nausea', 'appetite', 'breathlessness', 'depression', 'anxiety', 'wellbeing'] as const;

const esasScores = z
  .strictObject(Object.fromEntries(ESAS_ITEMS.map((item) => [item, score.optional()])) as Record<(typeof ESAS_ITEMS)[number], z.ZodOptional<typeof score>>)
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'at least one ESAS-r item is required')
  // The refinement above, in the published JSON Schema.
  .meta({ minProperties: 1 });

const promSubmitted = z.discriminatedUnion('instrument', [
  z.object({ instrument: z.literal('ESAS-r'), responseId: reference, requestId: reference.optional(), scores: esasScores }),
  z.object({
    instrument: z.literal('DT'),
    responseId: reference,
    requestId: reference.optional(),
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
    sex: text(32).optional(),
    livesAlone: z.boolean().optional(),
    rural: z.boolean().optional(),
    deprivationQuintile: z.number().int().min(1).max(5).optional(),
    preferredLanguage: text(64).optional(),
    interpreterNeeded: z.boolean().optional(),
    gpPracticeId: text(64).optional(),
    contact: contact.optional(),
  }),
  'diagnosis.recorded': z.object({
    cancerType: z.string().max(6).regex(/^[A-Z]\d{2}(\.\d{1,2})?$/, 'expected an ICD-10 code, e.g. C34.9'),
    stage: text(32).optional(),
    advanced: z.boolean(),
    diagnosedAt: isoDate,
    medianSurvivalMonths: z.number().positive().optional(),
  }),
  'treatment.started': z.object({ line: z.number().int().min(1), intent: z.enum(['curative', 'palliative']), regimen: text(128).optional() }),
  'disease.progressed': z.object({ line: z.number().int().min(0) }),
  'sact.administered': z.object({ regimen: text(128).optional() }),
  'performance.recorded': z.object({ ecog: z.number().int().min(0).max(4) }),
  'prognosis.estimated': z.object({ months: z.number().nonnegative() }),
  'clinical.flag': z.object({ flag: z.enum(CLINICAL_FLAGS) }),
  'prom.submitted': promSubmitted,
  'encounter.admitted': z.object({
    encounterId: reference,
    setting: z.enum(['inpatient', 'emergency', 'icu', 'hospice']),
    planned: z.boolean().optional(),
  }),
  'encounter.discharged': z.object({ encounterId: reference, destination: z.enum(['home', 'care-home', 'hospice', 'other']) }),
  'palliative.contact': z.object({ team: z.enum(['specialist', 'community']) }),
  'acp.documented': z.object({
    codeStatus: z.enum(['for-resuscitation', 'dnacpr']).optional(),
    advanceDirective: z.boolean().optional(),
    surrogate: z.boolean().optional(),
    preferredPlaceOfCare: text(64).optional(),
    preferredPlaceOfDeath: place.optional(),
  }),
  'caregiver.registered': z.object({
    caregiverId: reference,
    relationship: text(64, 1),
    consentToShare: z.boolean(),
    contact: contact.optional(),
  }),
  'consent.changed': z.object({ scope: z.enum(['proms', 'referral', 'pathway']), decision: z.enum(['granted', 'declined', 'withdrawn']) }),
  'patient.dying': z.object({}),
  'patient.died': z.object({ placeOfDeath: z.enum(['home', 'hospice', 'hospital', 'care-home', 'other']) }),
  'patient.transferred': z.object({ toOrganisation: text(128, 1) }),
} as const;

export type ClinicalEventType = keyof typeof eventDataSchemas;
export const CLINICAL_EVENT_TYPES = Object.keys(eventDataSchemas) as ClinicalEventType[];
export type EventData<T extends ClinicalEventType> = z.infer<(typeof eventDataSchemas)[T]>;
