import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLINICAL_EVENT_TYPES, envelopeSchema, eventDataSchemas, MAX_REFERENCE_LENGTH, parseClinicalEvent, STORABLE_TEXT } from '../src';

/** Issue 26, findings 3 and 13: every string and array of every event schema is bounded; text PostgreSQL cannot store is refused. */

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

type Schema = { type?: string | string[]; maxLength?: number; maxItems?: number; enum?: unknown[]; const?: unknown; pattern?: string; [k: string]: unknown };

/** Every string or array in a JSON Schema without a maximum, by path. */
function unbounded(schema: unknown, path = '$'): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const s = schema as Schema;
  const out: string[] = [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('string') && s.maxLength === undefined && s.enum === undefined && s.const === undefined) out.push(path);
  if (types.includes('array') && s.maxItems === undefined) out.push(path);
  for (const [k, v] of Object.entries(s)) {
    if (k === 'propertyNames') continue;
    if (Array.isArray(v)) v.forEach((x, i) => out.push(...unbounded(x, `${path}.${k}[${i}]`)));
    else if (typeof v === 'object') out.push(...unbounded(v, `${path}.${k}`));
  }
  return out;
}

const REFERENCES: Array<[string, (id: string) => unknown]> = [
  ['encounter.admitted', (id) => ({ encounterId: id, setting: 'emergency' })],
  ['encounter.discharged', (id) => ({ encounterId: id, destination: 'home' })],
  ['caregiver.registered', (id) => ({ caregiverId: id, relationship: 'daughter', consentToShare: true })],
  ['prom.submitted', (id) => ({ instrument: 'ESAS-r', responseId: id, scores: { pain: 3 } })],
  ['prom.submitted', (id) => ({ instrument: 'DT', responseId: 'r1', requestId: id, scores: { distress: 3 } })],
];

describe('every event schema is bounded (finding 3)', () => {
  it('states a maximum for every string and array of the envelope and of every event type’s data', () => {
    const missing = [
      ...unbounded(z.toJSONSchema(envelopeSchema, { unrepresentable: 'any' }), 'envelope'),
      ...CLINICAL_EVENT_TYPES.flatMap((t) => unbounded(z.toJSONSchema(eventDataSchemas[t], { unrepresentable: 'any' }), t)),
    ];
    expect(missing).toEqual([]);
  });

  it.each(REFERENCES)('refuses a %s whose id is longer than the maximum, and takes the maximal one', (type, data) => {
    expect(parseClinicalEvent(envelope(type, data('x'.repeat(MAX_REFERENCE_LENGTH)))).ok).toBe(true);
    const r = parseClinicalEvent(envelope(type, data('x'.repeat(MAX_REFERENCE_LENGTH + 1))));
    expect(r).toMatchObject({ ok: false, reason: 'invalid-data' });
  });

  it('refuses a 95,000-character caregiverId (the finding’s attack)', () => {
    expect(parseClinicalEvent(envelope('caregiver.registered', { caregiverId: 'c'.repeat(95_000), relationship: 'son', consentToShare: true })).ok).toBe(false);
  });

  it('refuses an id or source with control characters, and a time string of unbounded precision', () => {
    expect(parseClinicalEvent(envelope('patient.dying', {}, { id: 'a\u0001b' }))).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    expect(parseClinicalEvent(envelope('patient.dying', {}, { source: 'ehr\n' }))).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    expect(parseClinicalEvent(envelope('patient.dying', {}, { time: `2026-11-01T09:30:00.${'0'.repeat(100)}Z` }))).toMatchObject({ ok: false });
  });
});

describe('text PostgreSQL cannot store is refused at once (finding 13)', () => {
  const diagnosis = { cancerType: 'C34.9', advanced: true, diagnosedAt: '2026-10-30' };
  it.each([
    ['a NUL character in data', envelope('diagnosis.recorded', { ...diagnosis, stage: 'IV\u0000' }), 'invalid-data'],
    ['a lone high surrogate in data', envelope('diagnosis.recorded', { ...diagnosis, stage: 'IV\uD800' }), 'invalid-data'],
    ['a lone low surrogate in data', envelope('caregiver.registered', { caregiverId: 'c\uDC00', relationship: 'son', consentToShare: true }), 'invalid-data'],
    ['a NUL in the id', envelope('patient.dying', {}, { id: 'evt\u0000' }), 'invalid-envelope'],
    ['a lone surrogate in the source', envelope('patient.dying', {}, { source: 'ehr\uDBFF' }), 'invalid-envelope'],
    ['a NUL in a contact', envelope('patient.registered', { birthDate: '1950-01-01', contact: { phone: '+44\u0000' } }), 'invalid-data'],
  ])('refuses %s', (_what, raw, reason) => {
    const r = parseClinicalEvent(JSON.parse(JSON.stringify(raw)));
    expect(r).toMatchObject({ ok: false, reason });
    expect(r.ok ? '' : r.detail).toContain('NUL character or a lone surrogate');
    expect(r.ok ? '' : r.detail).not.toContain('IV');
  });

  it('drops fields the schemas do not know, whatever they hold: they are never stored', () => {
    const r = parseClinicalEvent(envelope('diagnosis.recorded', { ...diagnosis, ['x\u0000']: 'y\uD800' }, { extension: 'a\u0000' }));
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r.ok ? r.event : {})).not.toMatch(/\\u0000|\\ud800/i);
  });

  it('states the rule in the published schemas: every free-text field carries the storable-text pattern', () => {
    const json = JSON.stringify([z.toJSONSchema(envelopeSchema, { unrepresentable: 'any' }), ...CLINICAL_EVENT_TYPES.map((t) => z.toJSONSchema(eventDataSchemas[t]))]);
    expect(json.split(STORABLE_TEXT.source.replace(/\\/g, '\\\\')).length - 1).toBeGreaterThanOrEqual(15);
  });

  it('takes a well-formed surrogate pair (an emoji) as any other text', () => {
    expect(parseClinicalEvent(envelope('caregiver.registered', { caregiverId: 'c-😀', relationship: 'son 😀', consentToShare: true })).ok).toBe(true);
  });
});
