import { requestProms } from './proms';
import type { Decision } from './context';
import { enrolsNow } from './stage-changes';

/** docs/clinical-rules.md 2.1: what happens at enrolment (advanced or incurable cancer diagnosed). */
export function enrolment(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event') return;
  const e = input.event;
  if (!enrolsNow(d)) return;
  const p = d.policy.enrolment;
  const diagnosis = d.state.diagnosis!;
  // Since rules revision 4: a re-enrolment (consent granted again, a new diagnosis after a transfer) cites both events.
  const eventIds = diagnosis.eventId === e.id ? [e.id] : [diagnosis.eventId, e.id];
  const evidence = {
    eventIds,
    cancerType: diagnosis.cancerType,
    diagnosedAt: diagnosis.diagnosedAt,
    advanced: true,
    ...(d.before.stage === 'closed' ? { reEnrolment: true } : {}),
  };
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
  const survival = diagnosis.medianSurvivalMonths;
  if (survival === undefined || survival <= d.policy.referral.medianSurvivalMonthsAtMost) {
    const diagnosed = d.fromClinical(`${diagnosis.diagnosedAt}T00:00:00.000Z`);
    d.schedule('time-based-referral:propose', d.after(d.policy.referral.timeBasedProposeAfter, diagnosed), { kind: 'time-based-referral', step: 'propose' });
    d.schedule('time-based-referral:escalate', d.after(d.policy.referral.timeBasedEscalateAfter, diagnosed), { kind: 'time-based-referral', step: 'escalate' });
  }
}
