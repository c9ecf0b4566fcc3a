import { randomUUID } from 'node:crypto';
import type { PathwayCommand, Reason } from '@tandem/domain';

/** Builders for clinical events in the CloudEvents envelope of docs/contract.md section 3. */
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

/** The reason the enrolment rule gives for a key-worker task (as carried by the commands below). */
export const KEY_WORKER_REASON: Reason = { rule: '2.1.enrolment.assign-key-worker', evidence: { eventIds: ['e1'] } };

/** A pathway command opening the enrolment's key-worker task: what the activities and their writes receive. */
export function openKeyWorkerCommand(commandId: string): PathwayCommand {
  return {
    kind: 'open-task',
    commandId,
    task: {
      type: 'assign-key-worker',
      subject: 'assign-key-worker',
      queue: 'coordination',
      priority: 'soon',
      dueAt: '2026-12-01T00:00:00.000Z',
      openedAt: '2026-11-29T00:00:00.000Z',
      reason: KEY_WORKER_REASON,
      patientFacing: false,
    },
  };
}
