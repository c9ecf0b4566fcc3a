import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../src';
import { CLINICAL_TIME_SKEW_MS, clinicalTimeRefusal, decodeAuthor, encodeAuthor } from '../src';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (time: string, type = 'diagnosis.recorded', data: Record<string, unknown> = {}) =>
  ({ specversion: '1.0', id: 'e1', source: 's', type, subject: 'p1', time, data }) as unknown as ClinicalEvent;

describe('clinical time bounds (issue 26, finding 1)', () => {
  it('a time more than the skew in the future is refused; within it, accepted', () => {
    expect(clinicalTimeRefusal(at('9999-12-31T23:59:59Z'), NOW)?.reason).toBe('time-in-future');
    expect(clinicalTimeRefusal(at(new Date(NOW + CLINICAL_TIME_SKEW_MS + 1_000).toISOString()), NOW)?.reason).toBe('time-in-future');
    expect(clinicalTimeRefusal(at(new Date(NOW + CLINICAL_TIME_SKEW_MS - 1_000).toISOString()), NOW)).toBeUndefined();
    expect(clinicalTimeRefusal(at('2026-12-01T11:00:00Z'), NOW)).toBeUndefined();
  });

  it('a time before the birth date held is refused; on the birth date in any time zone, accepted', () => {
    expect(clinicalTimeRefusal(at('1949-06-01T00:00:00Z'), NOW, '1950-01-01')?.reason).toBe('time-before-birth');
    expect(clinicalTimeRefusal(at('1949-12-31T10:00:00Z'), NOW, '1950-01-01')).toBeUndefined(); // 1 January at UTC+14
    expect(clinicalTimeRefusal(at('1949-06-01T00:00:00Z'), NOW)).toBeUndefined(); // no birth date known yet
  });

  it('a registration is held to its own birth date', () => {
    expect(clinicalTimeRefusal(at('1940-01-01T00:00:00Z', 'patient.registered', { birthDate: '1950-01-01' }), NOW)?.reason).toBe('time-before-birth');
    expect(clinicalTimeRefusal(at('2026-01-01T00:00:00Z', 'patient.registered', { birthDate: '1950-01-01' }), NOW, '1990-01-01')).toBeUndefined();
  });

  it('refusals never quote the event (a birth date is PHI)', () => {
    const r = clinicalTimeRefusal(at('1949-06-01T00:00:00Z'), NOW, '1950-01-01');
    expect(r?.detail).not.toMatch(/1949|1950/);
  });
});

describe('the author header', () => {
  it('round-trips an API principal and a PROM link; anything malformed is no author', () => {
    expect(decodeAuthor(encodeAuthor({ via: 'api', sub: 'dr-onc', roles: ['clinician'] }))).toEqual({ via: 'api', sub: 'dr-onc', roles: ['clinician'] });
    expect(decodeAuthor(encodeAuthor({ via: 'prom-page', link: 'req-1' }))).toEqual({ via: 'prom-page', link: 'req-1' });
    for (const raw of [undefined, '', 'nope', '{}', '{"via":"api","sub":"","roles":[]}', '{"via":"api","sub":"x","roles":["A B"]}', `{"via":"api","sub":"${'x'.repeat(2000)}","roles":[]}`])
      expect(decodeAuthor(raw), String(raw).slice(0, 40)).toBeUndefined();
  });
});
