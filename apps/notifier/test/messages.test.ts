import { describe, expect, it } from 'vitest';
import type { CareNotification } from '@tandem/domain';
import { DEFAULT_POLICY } from '@tandem/domain';
import { compose } from '../src/messages';

const base: CareNotification = {
  id: '6b0c3a51-7f1e-4a8e-9a4c-3c1f5d2e8b11',
  patientId: 'pt-1234',
  kind: 'prom-request',
  recipient: { role: 'patient' },
  channel: 'app',
  text: 'Please complete your symptom questionnaire (ESAS-r + DT).',
  createdAt: '2026-12-01T09:00:00.000Z',
  reason: { rule: '2.2.proms.schedule', evidence: { requestId: 'pt-1234-prom-2' } },
  link: 'https://tandem.example.org/p/abc.def.ghi.jkl.mno',
};
const o = { policy: DEFAULT_POLICY, publicUrl: 'https://tandem.example.org' };

describe('what a delivered notification says', () => {
  it('to a patient: their questionnaire link in their language, how to get help now, and nothing about them', () => {
    const es = compose(base, { ...o, language: 'es' });
    expect(es.subject).toBe('Su cuestionario de síntomas');
    expect(es.text).toContain(base.link);
    expect(es.text).toContain('llame al 0300 123 4567');
    expect(`${es.subject}${es.text}`).not.toContain('pt-1234');
    const reminder = compose({ ...base, kind: 'prom-reminder' }, { ...o, language: 'en' });
    expect(reminder.subject).toBe('Reminder: your symptom questionnaire');
    expect(reminder.text).toContain('In an emergency, call 999.');
  });

  it('to a caregiver: the care team’s words and the help line', () => {
    const m = compose(
      { ...base, kind: 'caregiver-information', recipient: { role: 'caregiver', id: 'cg-1' }, text: 'How to reach the clinic.' },
      { ...o, language: 'en' },
    );
    expect(m).toEqual({ subject: 'A message from your care team', text: expect.stringContaining('How to reach the clinic.') });
  });

  it('to staff: what happened, for which patient, by which rule in words and id, and where to act', () => {
    const m = compose(
      {
        ...base,
        kind: 'clinician-reminder',
        recipient: { role: 'key-worker' },
        text: 'Patient admitted (emergency).',
        taskId: 'a1b2c3d4-0000-4000-8000-000000000001',
        reason: { rule: '2.6.admission.notify', evidence: {} },
      },
      { ...o, language: 'en' },
    );
    expect(m.subject).toBe('Tandem: Reminder — Patient admitted (emergency).');
    expect(m.text).toContain('Patient: pt-1234');
    expect(m.text).toContain('Why: Admission: notify the key worker and the palliative team (2.6.admission.notify)');
    expect(m.text).toContain('Open in Tandem: https://tandem.example.org/#/tasks/a1b2c3d4-0000-4000-8000-000000000001');
  });
});
