import { randomUUID } from 'node:crypto';

/** Builders for clinical events in the CloudEvents envelope of CONTRACT.md section 3. */
export function clinicalEvent(type: string, patientId: string, data: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: `evt-${randomUUID()}`,
    source: 'test://ehr',
    type,
    subject: patientId,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
    ...overrides,
  };
}

export function advancedDiagnosis(patientId: string, overrides: Record<string, unknown> = {}) {
  return clinicalEvent('diagnosis.recorded', patientId, { cancerType: 'C34.9', stage: 'IV', advanced: true, diagnosedAt: '2026-11-01' }, overrides);
}

export function newPatientId(prefix = 'pt'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}
