import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLINICAL_EVENT_TYPES } from '@tandem/domain';
import { ROLES } from '../src/auth/roles';
import { apiSource } from '../src/events/event-intake';
import { ASSERTED_BY, ASSERTING_ROLES, assertedByTable, mayAssert } from '../src/events/authorship';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'security.md');

describe('who may assert which event type (issue 26, finding 1)', () => {
  it('the table covers every event type, and names only roles that exist and may post events', () => {
    expect(Object.keys(ASSERTED_BY).sort()).toEqual([...CLINICAL_EVENT_TYPES].sort());
    for (const roles of Object.values(ASSERTED_BY)) for (const r of roles) expect(ROLES).toContain(r);
    expect(ASSERTING_ROLES).not.toContain('ops');
    expect([...ASSERTING_ROLES].sort()).toEqual(ROLES.filter((r) => r !== 'ops').sort());
  });

  it('docs/security.md holds the table exactly as the code enforces it', () => {
    const doc = readFileSync(DOC, 'utf8');
    const between = /<!-- assertedByTable -->\n([\s\S]*?)\n<!-- \/assertedByTable -->/.exec(doc)?.[1];
    expect(between, 'the table between its markers in docs/security.md').toBe(assertedByTable());
  });

  it('death, registration, contact details, consent and transfer come only from an integration or an admin', () => {
    for (const type of ['patient.died', 'patient.registered', 'caregiver.registered', 'consent.changed', 'patient.transferred'] as const) {
      expect([...ASSERTED_BY[type]].sort(), type).toEqual(['admin', 'integration']);
      for (const staff of ['coordinator', 'clinician', 'specialist', 'ops'] as const) expect(mayAssert([staff], type), `${staff} ${type}`).toBe(false);
    }
  });

  it('clinicians and specialists document clinical facts; no member of staff types in a patient’s PROM answers', () => {
    for (const type of ['diagnosis.recorded', 'acp.documented', 'patient.dying', 'clinical.flag'] as const)
      expect(mayAssert(['clinician'], type) && mayAssert(['specialist'], type), type).toBe(true);
    for (const staff of ['coordinator', 'clinician', 'specialist', 'admin', 'ops'] as const) expect(mayAssert([staff], 'prom.submitted')).toBe(false);
    expect(mayAssert(['integration'], 'prom.submitted')).toBe(true);
    expect(mayAssert(['ops', 'clinician'], 'patient.died')).toBe(false);
    expect(mayAssert(['clinician', 'admin'], 'patient.died')).toBe(true);
  });

  it('the stored source of an API event is the caller’s own, bounded whatever the sub', () => {
    expect(apiSource('dr-onc')).toBe('tandem/api/dr-onc');
    expect(apiSource('a b/c')).toMatch(/^tandem\/api\/sha256-[0-9a-f]{64}$/);
    expect(apiSource('x'.repeat(500)).length).toBeLessThanOrEqual(256);
  });
});
