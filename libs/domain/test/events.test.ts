import { describe, expect, it } from 'vitest';
import type { ClinicalEventType } from '../src';
import { CLINICAL_EVENT_TYPES, parseClinicalEvent } from '../src';

const envelope = (type: string, data: unknown, over: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-1',
  source: 'ehr://test',
  type,
  subject: 'pt-1',
  time: '2026-11-01T09:30:00Z',
  data,
  ...over,
});

/** One valid example per type of docs/contract.md section 3. */
const valid: Record<ClinicalEventType, unknown> = {
  'patient.registered': { birthDate: '1948-02-29', livesAlone: true, deprivationQuintile: 1, interpreterNeeded: false, contact: { phone: '+44 1' } },
  'diagnosis.recorded': { cancerType: 'C34.9', advanced: true, diagnosedAt: '2026-10-30', medianSurvivalMonths: 11 },
  'treatment.started': { line: 1, intent: 'palliative' },
  'disease.progressed': { line: 2 },
  'sact.administered': { regimen: 'carboplatin' },
  'performance.recorded': { ecog: 3 },
  'prognosis.estimated': { months: 2.5 },
  'clinical.flag': { flag: 'spinal-cord-compression' },
  'prom.submitted': { instrument: 'ESAS-r', responseId: 'r1', scores: { pain: 7, wellbeing: 3 } },
  'encounter.admitted': { encounterId: 'e1', setting: 'emergency', planned: false },
  'encounter.discharged': { encounterId: 'e1', destination: 'home' },
  'palliative.contact': { team: 'specialist' },
  'acp.documented': { codeStatus: 'dnacpr', preferredPlaceOfDeath: 'home' },
  'caregiver.registered': { caregiverId: 'c1', relationship: 'daughter', consentToShare: true },
  'consent.changed': { scope: 'proms', decision: 'declined' },
  'patient.dying': {},
  'patient.died': { placeOfDeath: 'hospice' },
  'patient.transferred': { toOrganisation: 'Other Trust' },
};

describe('parseClinicalEvent', () => {
  it.each(CLINICAL_EVENT_TYPES)('accepts a valid %s', (type) => {
    const r = parseClinicalEvent(envelope(type, valid[type]));
    expect(r).toMatchObject({ ok: true, event: { type, subject: 'pt-1' } });
  });

  it.each([
    ['missing id', envelope('patient.dying', {}, { id: undefined }), 'invalid-envelope', 'id:'],
    ['wrong specversion', envelope('patient.dying', {}, { specversion: '0.3' }), 'invalid-envelope', 'specversion: must be "1.0"'],
    ['time without offset', envelope('patient.dying', {}, { time: '2026-11-01 09:30' }), 'invalid-envelope', 'time: expected an RFC 3339 timestamp'],
    ['subject with spaces', envelope('patient.dying', {}, { subject: 'Jo Bloggs' }), 'invalid-envelope', 'subject:'],
    ['data not an object', envelope('patient.dying', [1]), 'invalid-envelope', 'data: expected an object'],
    ['not an object at all', 'hello', 'invalid-envelope', '(root)'],
    ['unknown type', envelope('lab.result', {}), 'unknown-type', 'unknown event type "lab.result"'],
    ['missing required field', envelope('diagnosis.recorded', { cancerType: 'C34.9', diagnosedAt: '2026-10-30' }), 'invalid-data', 'data.advanced'],
    [
      'bad ICD-10 code',
      envelope('diagnosis.recorded', { cancerType: 'lung', advanced: true, diagnosedAt: '2026-10-30' }),
      'invalid-data',
      'data.cancerType: expected an ICD-10 code',
    ],
    ['score out of range', envelope('prom.submitted', { instrument: 'DT', responseId: 'r', scores: { distress: 11 } }), 'invalid-data', 'data.scores.distress'],
    ['ESAS-r with no items', envelope('prom.submitted', { instrument: 'ESAS-r', responseId: 'r', scores: {} }), 'invalid-data', 'at least one ESAS-r item'],
    ['unknown ESAS-r item', envelope('prom.submitted', { instrument: 'ESAS-r', responseId: 'r', scores: { itch: 3 } }), 'invalid-data', 'data.scores'],
    ['ECOG 5', envelope('performance.recorded', { ecog: 5 }), 'invalid-data', 'data.ecog'],
    ['unknown flag', envelope('clinical.flag', { flag: 'fever' }), 'invalid-data', 'data.flag'],
  ])('rejects %s with a readable reason', (_name, raw, reason, detail) => {
    const r = parseClinicalEvent(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe(reason);
    expect(r.detail).toContain(detail);
  });
});
