import { parseDuration } from '../policy/duration';
import { isActive, isRepeatAdmission } from '../pathway/state';
import type { Decision } from './context';
import { requestProms } from './proms';

/** docs/clinical-rules.md 2.6: admissions, discharges, readmissions and progression. */
export function transitions(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event' || !isActive(d.state)) return;
  const e = input.event;
  const p = d.policy.transitions;
  if (e.type === 'encounter.admitted') {
    if (d.has('one-admission-per-encounter') && isRepeatAdmission(d.before, e.data.encounterId, e.id)) return; // the same admission again
    const evidence = { eventIds: [e.id], setting: e.data.setting, planned: e.data.planned ?? false };
    d.notify(
      '2.6.admission.notify',
      {
        kind: 'clinician-reminder',
        recipient: { role: 'key-worker' },
        channel: 'worklist',
        text: `Patient admitted (${e.data.setting}).`,
        patientFacing: false,
      },
      evidence,
      'key-worker',
    );
    d.notify(
      '2.6.admission.notify',
      {
        kind: 'clinician-reminder',
        recipient: { role: 'team', id: 'specialist-palliative' },
        channel: 'worklist',
        text: `Patient admitted (${e.data.setting}).`,
        patientFacing: false,
      },
      evidence,
      'palliative',
    );
    const windowMs = parseDuration(p.unplannedAdmissionsWindow); // a window of clinical time: never scaled
    const recent = d.state.clinical.unplannedAdmissions.filter((a) => Math.abs(Date.parse(e.time) - Date.parse(a.at)) <= windowMs);
    if (recent.length >= p.unplannedAdmissionsAtLeast) {
      d.openTask(
        '2.6.readmissions.mdt',
        'mdt-review',
        p.readmissionMdtReview,
        { eventIds: recent.map((a) => a.eventId), window: p.unplannedAdmissionsWindow, count: recent.length },
        { subject: 'readmissions' },
      );
    }
  } else if (e.type === 'encounter.discharged') {
    requestProms(d, '2.6.discharge.distress', ['DT'], { eventIds: [e.id], after: 'discharge' });
    if (e.data.destination !== 'home') return;
    const evidence = { eventIds: [e.id], destination: e.data.destination, livesAlone: d.state.patient.livesAlone ?? false };
    d.notify(
      '2.6.discharge.gp-and-follow-up',
      {
        kind: 'gp-update',
        recipient: { role: 'gp' },
        channel: 'shared-record',
        text: 'Discharged home; you are invited to a case discussion.',
        patientFacing: false,
      },
      { ...evidence, dueWithin: p.gpNotifyWithin },
    );
    const due = d.state.patient.livesAlone ? { ...p.dischargeFollowUp, due: p.dischargeFollowUpLivingAlone } : p.dischargeFollowUp;
    d.openTask(d.state.patient.livesAlone ? '2.6.discharge.lives-alone' : '2.6.discharge.gp-and-follow-up', 'discharge-follow-up', due, evidence, {
      subject: `discharge:${e.data.encounterId}`,
    });
  } else if (e.type === 'disease.progressed') {
    d.notify(
      '2.6.progression.gp-invite',
      {
        kind: 'gp-update',
        recipient: { role: 'gp' },
        channel: 'shared-record',
        text: 'Disease progression: you are invited to the next case discussion.',
        patientFacing: false,
      },
      { eventIds: [e.id], line: e.data.line },
    );
    requestProms(d, '2.6.progression.distress', ['DT'], { eventIds: [e.id], after: 'progression' });
  }
}
