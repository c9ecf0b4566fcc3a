import { openTasks, openTaskOf } from '../pathway/state';
import { keepOpen, survivingReviews } from './closure';
import type { Decision } from './context';
import { stopProms } from './proms';
import type { RuleId } from './catalogue';

/** docs/clinical-rules.md 2.10: declines stop the affected requests at once; withdrawal and transfer close the pathway. */
export function consentAndExits(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event') return;
  const e = input.event;
  if (e.type === 'consent.changed') {
    // A decision older than the one on record changes nothing (judged by clinical time).
    if (d.before.consent[e.data.scope].decision === d.state.consent[e.data.scope].decision) return;
    const evidence = { eventIds: [e.id], scope: e.data.scope, decision: e.data.decision };
    d.fact(`2.10.consent.${e.data.scope}`, `consent-${e.data.scope}`, e.data.decision, e.time, evidence);
    if (e.data.decision === 'granted') return;
    if (e.data.scope === 'proms') {
      stopProms(d);
      const call = openTaskOf(d.state, 'prom-not-returned');
      if (call) d.closeTask('2.10.consent.proms', call.commandId, 'cancelled', 'proms-declined');
    } else if (e.data.scope === 'referral') {
      const proposal = openTaskOf(d.state, 'specialist-referral-proposal');
      if (proposal) d.closeTask('2.10.consent.referral', proposal.commandId, 'cancelled', 'referral-declined');
      // Declining referral consent also ends a referral already sent (2.10a).
      const triage = d.has('referral-follows-through') ? openTaskOf(d.state, 'specialist-referral-triage') : undefined;
      if (triage) d.closeTask('2.10.consent.referral', triage.commandId, 'cancelled', 'referral-declined');
      d.cancelTimers((p) => p.kind === 'referral-reoffer' || p.kind === 'time-based-referral');
    } else if (d.state.stage === 'closed') {
      closeEverything(d, '2.10.consent.pathway', 'consent-withdrawn', e);
    }
  } else if (e.type === 'patient.transferred' && d.before.stage !== 'closed' && d.state.stage === 'closed') {
    closeEverything(d, '2.10.transfer.handover', 'patient-transferred', e);
    d.notify(
      '2.10.transfer.handover',
      {
        kind: 'gp-update',
        recipient: { role: 'team', id: e.data.toOrganisation },
        channel: 'shared-record',
        text: `Handover: the patient's care moves to ${e.data.toOrganisation}.`,
        patientFacing: false,
      },
      { eventIds: [e.id] },
    );
  }
}

/**
 * Since rules revision 7 (2.10.closure.severe-answer): an urgent symptom review opened by a severe answer given
 * before the closure stays open, with its ladder, and says why; everything else is cancelled.
 */
function closeEverything(d: Decision, rule: RuleId, why: string, e: { id: string; time: string }): void {
  const kept = survivingReviews(d, e.time);
  stopProms(d);
  d.cancelTimers((p) => !(p.kind === 'task-overdue' && kept.has(p.taskCommandId)));
  for (const t of openTasks(d.state)) if (!kept.has(t.commandId)) d.closeTask(rule, t.commandId, 'cancelled', why);
  keepOpen(d, kept, { why, eventId: e.id, at: e.time });
}
