import { requestProms } from './proms';
import type { Decision } from './context';

/** DOMAIN.md 2.1: what happens at enrolment (advanced or incurable cancer diagnosed). */
export function enrolment(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event' || input.event.type !== 'diagnosis.recorded') return;
  const e = input.event;
  // Enrolment happens with this event: the state moved from none to enrolled.
  if (d.before.stage !== 'none' || d.state.stage !== 'enrolled') return;
  const p = d.policy.enrolment;
  const evidence = { eventIds: [e.id], cancerType: e.data.cancerType, diagnosedAt: e.data.diagnosedAt, advanced: true };
  d.openTask('2.1.enrolment.assign-key-worker', 'assign-key-worker', p.assignKeyWorker, evidence);
  requestProms(d, '2.1.enrolment.baseline-prom', ['ESAS-r', 'DT'], evidence);
  d.openTask('2.1.enrolment.baseline-assessment', 'baseline-assessment', p.baselineAssessment, evidence);
  d.openTask('2.1.enrolment.explain-palliative-care', 'explain-palliative-care', p.explainPalliativeCare, evidence);
  d.openTask('2.1.enrolment.acp-conversation', 'acp-conversation', p.acpConversation, evidence);
  d.notify(
    '2.1.enrolment.gp-update',
    {
      kind: 'gp-update',
      recipient: { role: 'gp' },
      channel: 'shared-record',
      text: 'Advanced cancer diagnosed: patient enrolled on the integrated palliative care pathway; shared record offered.',
      patientFacing: false,
    },
    { ...evidence, dueWithin: p.gpUpdateWithin },
  );
  // ACP is re-offered every 6 months (2.4); the time-based referral clock starts (2.3).
  d.schedule('acp-reoffer', d.after(d.policy.acp.reofferEvery), { kind: 'acp-reoffer' });
  const survival = e.data.medianSurvivalMonths;
  if (survival === undefined || survival <= d.policy.referral.medianSurvivalMonthsAtMost) {
    const diagnosed = d.fromClinical(`${e.data.diagnosedAt}T00:00:00.000Z`);
    d.schedule('time-based-referral:propose', d.after(d.policy.referral.timeBasedProposeAfter, diagnosed), { kind: 'time-based-referral', step: 'propose' });
    d.schedule('time-based-referral:escalate', d.after(d.policy.referral.timeBasedEscalateAfter, diagnosed), { kind: 'time-based-referral', step: 'escalate' });
  }
}
