import { isCaregiverTask, openTaskOf, openTasks } from '../pathway/state';
import type { TimerPurpose } from '../pathway/timers';
import type { Decision } from './context';
import { stopProms } from './proms';

const BEREAVEMENT = new Set(['bereavement-contact', 'bereavement-check-in', 'grief-screening']);

/** docs/clinical-rules.md 2.8: dying recognised. */
export function endOfLife(d: Decision): void {
  const { input } = d;
  if (input.kind === 'event' && input.event.type === 'patient.dying') {
    if (d.before.stage === 'end-of-life' || d.state.stage !== 'end-of-life') return;
    const e = input.event;
    const evidence = { eventIds: [e.id] };
    stopProms(d); // 2.8.eol.stop-routine: no more routine PROMs or their reminders
    d.openTask('2.8.eol.care-plan', 'eol-care-plan', d.policy.endOfLife.eolCarePlan, {
      ...evidence,
      plan: ['anticipatory medications', 'preferred place of death confirmed', 'resuscitation decision confirmed'],
    });
    d.notify(
      '2.8.eol.notify',
      {
        kind: 'gp-update',
        recipient: { role: 'gp' },
        channel: 'shared-record',
        text: 'Dying recognised: end-of-life care plan in progress.',
        patientFacing: false,
      },
      evidence,
      'gp',
    );
    d.notify(
      '2.8.eol.notify',
      {
        kind: 'clinician-reminder',
        recipient: { role: 'team', id: 'community-nursing' },
        channel: 'worklist',
        text: 'Dying recognised: end-of-life care at home may be needed.',
        patientFacing: false,
      },
      evidence,
      'community',
    );
    d.schedule('eol-symptom-check', d.after(d.policy.endOfLife.symptomCheckEvery), { kind: 'eol-symptom-check' });
    return;
  }
  if (input.kind === 'timer' && input.purpose.kind === 'eol-symptom-check' && d.state.stage === 'end-of-life') {
    // The one open symptom-review per patient: the daily check joins it when one is open.
    d.openTask('2.8.eol.symptom-check', 'symptom-review', d.policy.endOfLife.symptomCheck, { daily: true, check: 'end-of-life symptom check' });
    d.schedule('eol-symptom-check', d.after(d.policy.endOfLife.symptomCheckEvery), { kind: 'eol-symptom-check' });
  }
}

/** docs/clinical-rules.md 2.9: death — cancel everything patient-facing at once; bereavement follow-up for each caregiver. */
export function death(d: Decision): void {
  const { input } = d;
  if (d.has('bereavement-per-caregiver')) {
    deathPerCaregiver(d);
  } else if (input.kind === 'event' && input.event.type === 'patient.died') {
    if (d.before.clinical.diedAt !== undefined || d.state.clinical.diedAt === undefined) return;
    const e = input.event;
    const evidence = { eventIds: [e.id], placeOfDeath: e.data.placeOfDeath };
    stopProms(d);
    d.cancelTimers((p) => p.kind !== 'bereavement-open' && p.kind !== 'task-overdue');
    for (const t of openTasks(d.state)) if (!BEREAVEMENT.has(t.type)) d.closeTask('2.9.death.cancel', t.commandId, 'cancelled', 'patient-died');
    if (d.before.stage === 'none') return; // never enrolled: nothing more to do
    deathRecorded(d, e.data.placeOfDeath, e.time, evidence, true);
    return;
  }
  if (input.kind === 'event' && input.event.type === 'caregiver.registered' && d.state.stage === 'bereavement') {
    const { caregiverId } = input.event.data;
    const known = d.has('bereavement-per-caregiver') && Object.values(d.state.tasks).some((t) => t.type === 'bereavement-contact' && t.subject === `caregiver:${caregiverId}`);
    if (!known) bereavementFor(d, caregiverId, { eventIds: [input.event.id] });
    // The family is identified — the key worker's "identify the family" contact has done its work.
    const identify = d.has('bereavement-per-caregiver') ? openTaskOf(d.state, 'bereavement-contact', 'identify-family') : undefined;
    if (identify) d.closeTask('2.9.bereavement.contact', identify.commandId, 'done', 'family-identified');
    return;
  }
  if (input.kind === 'timer' && input.purpose.kind === 'bereavement-open' && d.state.stage === 'bereavement') {
    bereavementTaskDue(d, input.purpose);
  }
}

/**
 * Since rules revision 4: the death, known at once, cancels the patient's work — not caregivers' own tasks,
 * which stay open for the bereavement team (2.10a). The bereavement follow-up starts when the
 * pathway moves to bereavement: with the death, or with a diagnosis that arrives after the death
 * (which enrols nobody and tells nobody of an enrolment, but still looks after the family).
 */
function deathPerCaregiver(d: Decision): void {
  const { input } = d;
  if (input.kind === 'event' && input.event.type === 'patient.died' && d.before.clinical.diedAt === undefined && d.state.clinical.diedAt !== undefined) {
    stopProms(d);
    d.cancelTimers((p) => p.kind !== 'bereavement-open' && p.kind !== 'task-overdue');
    for (const t of openTasks(d.state))
      if (!BEREAVEMENT.has(t.type) && !isCaregiverTask(t)) d.closeTask('2.9.death.cancel', t.commandId, 'cancelled', 'patient-died');
  }
  if (d.before.stage === 'bereavement' || d.state.stage !== 'bereavement' || input.kind !== 'event') return;
  const died = input.event.type === 'patient.died' ? input.event : undefined;
  const placeOfDeath = died?.data.placeOfDeath ?? d.state.clinical.deathPlace ?? null;
  const evidence = { eventIds: [input.event.id], placeOfDeath };
  deathRecorded(d, placeOfDeath, d.state.clinical.diedAt!, evidence, d.before.stage !== 'none');
}

function deathRecorded(d: Decision, placeOfDeath: string | null, at: string, evidence: Record<string, unknown>, notify: boolean): void {
  const preferred = d.state.acp.preferredPlaceOfDeath;
  d.fact(
    '2.9.death.place-of-death',
    'death',
    { placeOfDeath, preferred: preferred ?? null, concordant: preferred === undefined || placeOfDeath === null ? null : preferred === placeOfDeath },
    at,
    evidence,
  );
  if (notify) {
    d.notify(
      '2.9.death.notify',
      { kind: 'gp-update', recipient: { role: 'gp' }, channel: 'shared-record', text: 'The patient has died.', patientFacing: false },
      evidence,
      'gp',
    );
    d.notify(
      '2.9.death.notify',
      {
        kind: 'clinician-reminder',
        recipient: { role: 'team', id: 'all-involved' },
        channel: 'worklist',
        text: 'The patient has died; open tasks were cancelled.',
        patientFacing: false,
      },
      evidence,
      'teams',
    );
  }
  if (d.state.caregivers.length === 0) {
    d.openTask(
      '2.9.bereavement.contact',
      'bereavement-contact',
      d.policy.bereavement.contact,
      { ...evidence, identifyFamily: true },
      { subject: 'identify-family', queue: 'coordination' },
    );
  }
  for (const c of d.state.caregivers) bereavementFor(d, c.caregiverId, evidence);
}

function bereavementTaskDue(d: Decision, purpose: Extract<TimerPurpose, { kind: 'bereavement-open' }>): void {
  const { caregiverId, task, occurrence } = purpose;
  const b = d.policy.bereavement;
  const subject = `caregiver:${caregiverId}:${task}:${occurrence}`;
  const due =
    task === 'bereavement-check-in'
      ? { due: b.checkInDueAfter, priority: 'routine' as const, dueAt: d.after(b.checkInDueAfter, deathClock(d)) }
      : { due: b.griefScreeningDue, priority: 'routine' as const };
  d.openTask(
    task === 'bereavement-check-in' ? '2.9.bereavement.check-in' : '2.9.bereavement.grief-screening',
    task,
    due,
    { caregiverId, occurrence },
    { subject, part: subject },
  );
}

function deathClock(d: Decision): string {
  return d.fromClinical(d.state.clinical.diedAt!);
}

function bereavementFor(d: Decision, caregiverId: string, evidence: Record<string, unknown>): void {
  const b = d.policy.bereavement;
  const died = deathClock(d);
  const subject = `caregiver:${caregiverId}`;
  d.openTask(
    '2.9.bereavement.contact',
    'bereavement-contact',
    { ...b.contact, dueAt: d.after(b.contact.due, died) },
    { ...evidence, caregiverId },
    { subject, part: caregiverId },
  );
  d.schedule(`bereavement:${caregiverId}:check-in`, d.after(b.checkInOpensAfter, died), {
    kind: 'bereavement-open',
    caregiverId,
    task: 'bereavement-check-in',
    occurrence: 1,
  });
  b.griefScreeningOpensAfter.forEach((after, i) =>
    d.schedule(`bereavement:${caregiverId}:grief:${i + 1}`, d.after(after, died), {
      kind: 'bereavement-open',
      caregiverId,
      task: 'grief-screening',
      occurrence: i + 1,
    }),
  );
}
