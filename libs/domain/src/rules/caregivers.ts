import { isActive } from '../pathway/state';
import type { Decision } from './context';

/** docs/clinical-rules.md 2.7: each registered caregiver is assessed, informed, and referred when distressed. */
export function caregivers(d: Decision): void {
  const { input } = d;
  if (input.kind === 'event' && input.event.type === 'caregiver.registered') {
    const e = input.event;
    // A caregiver registered once the death is known is assessed too — their own task,
    // for the bereavement team (2.10a) — as one registered before the death still is.
    const bereaved = d.has('bereavement-per-caregiver') && d.state.stage === 'bereavement';
    if (!isActive(d.state) && !bereaved) return;
    const evidence = { eventIds: [e.id], caregiverId: e.data.caregiverId, consentToShare: e.data.consentToShare };
    d.fact('2.7.caregiver.assessment', 'caregiver-consent-to-share', e.data.consentToShare, e.time, evidence);
    const known = Object.values(d.state.tasks).some((t) => t.type === 'caregiver-assessment' && t.subject === `caregiver:${e.data.caregiverId}`);
    if (!(d.has('bereavement-per-caregiver') && known))
      d.openTask('2.7.caregiver.assessment', 'caregiver-assessment', d.policy.caregivers.assessment, evidence, {
        subject: `caregiver:${e.data.caregiverId}`,
        part: e.data.caregiverId,
      });
    if (bereaved) return; // the bereavement contact tells them where to turn
    d.notify(
      '2.7.caregiver.information',
      {
        kind: 'caregiver-information',
        recipient: { role: 'caregiver', id: e.data.caregiverId },
        channel: 'app',
        text: 'How to reach the clinic in routine and emergency situations (24/7 number), and local and online caregiver resources.',
        patientFacing: false,
      },
      evidence,
      e.data.caregiverId,
    );
  }
  if (input.kind === 'task.completed') {
    const task = d.before.tasks[input.commandId];
    if (task?.type === 'caregiver-assessment' && input.outcome === 'high-distress') {
      d.openTask(
        '2.7.caregiver.high-distress',
        'psychosocial-assessment',
        d.policy.proms.distressPsychosocial,
        { assessment: task.commandId, caregiver: task.subject },
        { subject: task.subject },
      );
    }
  }
}
