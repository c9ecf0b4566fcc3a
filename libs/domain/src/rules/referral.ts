import { memoryOf } from '../pathway/memory';
import { isActive, openTaskOf } from '../pathway/state';
import type { Priority } from '../tasks/vocabulary';
import type { Decision } from './context';
import { higher } from './context';
import type { RuleId } from './catalogue';

/**
 * A referral criterion was met (docs/clinical-rules.md 2.3). One open referral at a time: with a proposal or
 * triage open, the criterion adds its evidence (and may raise the urgency); otherwise a proposal
 * opens, agreed with the patient before the referral is sent. Once under specialist care, a symptom
 * still severe after review escalates to the specialist team instead.
 */
export function proposeReferral(d: Decision, rule: RuleId, priority: Priority, evidence: Record<string, unknown>, opts: { stillSevere?: boolean } = {}): void {
  if (!isActive(d.state)) return;
  const consent = d.state.consent.referral.decision;
  if (consent !== 'granted') {
    d.fact(rule, 'referral-criterion-not-offered', { rule, consent }, d.at, evidence);
    return;
  }
  const triage = openTaskOf(d.state, 'specialist-referral-triage');
  if (triage) {
    d.openTask(rule, 'specialist-referral-triage', { due: d.policy.referral.triageDue[priority], priority }, evidence);
    return;
  }
  if (d.state.referral.status === 'seen' || d.state.referral.status === 'sent') {
    if (opts.stillSevere)
      d.openTask(
        rule,
        'escalation',
        d.policy.escalation.onCallTask,
        { ...evidence, escalateTo: 'specialist-palliative' },
        { subject: `specialist:${rule}`, queue: 'specialist-palliative' },
      );
    return;
  }
  d.openTask(rule, 'specialist-referral-proposal', { due: d.policy.referral.proposalDue[priority], priority }, { ...evidence, referralPriority: priority });
  d.cancelTimers((p) => p.kind === 'referral-reoffer');
}

const FLAG_RULES: Record<string, { rule: RuleId; priority: Priority }> = {
  'hastened-death-request': { rule: '2.3.needs.hastened-death', priority: 'urgent' },
  'spinal-cord-compression': { rule: '2.3.needs.cord-compression', priority: 'urgent' },
  'cauda-equina-compression': { rule: '2.3.needs.cord-compression', priority: 'urgent' },
  delirium: { rule: '2.3.needs.delirium', priority: 'urgent' },
  'existential-crisis': { rule: '2.3.needs.existential-crisis', priority: 'soon' },
  'decision-support-needed': { rule: '2.3.needs.decision-support', priority: 'soon' },
  'patient-request': { rule: '2.3.needs.patient-request', priority: 'soon' },
  'brain-metastases': { rule: '2.3.needs.brain-metastases', priority: 'soon' },
  'leptomeningeal-metastases': { rule: '2.3.needs.brain-metastases', priority: 'soon' },
};

/** Needs-based criteria from clinical flags, time-based criteria, and the referral's own lifecycle. */
export function referral(d: Decision): void {
  const { input } = d;
  const p = d.policy.referral;
  if (input.kind === 'event') {
    const e = input.event;
    if (e.type === 'clinical.flag') {
      const r = FLAG_RULES[e.data.flag]!;
      proposeReferral(d, r.rule, r.priority, { eventIds: [e.id], flag: e.data.flag, at: e.time });
    } else if (e.type === 'disease.progressed' && e.data.line >= p.progressionLineAtLeast) {
      proposeReferral(d, '2.3.time.progression-second-line', 'routine', { eventIds: [e.id], line: e.data.line });
    } else if (e.type === 'palliative.contact' && e.data.team === 'specialist') {
      firstContact(d, { eventIds: [e.id] });
    } else if (d.has('referral-follows-through')) {
      stopClockOnLongSurvival(d);
    }
    return;
  }
  if (input.kind === 'task.completed') {
    const task = d.before.tasks[input.commandId];
    if (!task || task.status !== 'open') return;
    if (task.type === 'specialist-referral-proposal' && input.outcome === 'agreed') {
      const proposed = memoryOf(task).referralPriority ?? task.priority;
      // An urgency raised while the proposal was open travels to the triage (2.10a).
      const priority = d.has('referral-follows-through') ? higher(proposed, task.priority) : proposed;
      d.openTask(
        '2.3.referral.agreed',
        'specialist-referral-triage',
        { due: p.triageDue[priority], priority },
        { proposal: task.commandId, criterion: task.reason.rule, ...task.reason.evidence },
      );
      d.fact('2.3.referral.agreed', 'referral-sent', { priority, criterion: task.reason.rule }, d.at, { proposal: task.commandId });
    } else if (task.type === 'specialist-referral-proposal' && input.outcome === 'declined') {
      d.fact('2.3.referral.declined', 'referral-declined', { criterion: task.reason.rule }, d.at, { proposal: task.commandId });
      d.schedule('referral-reoffer', d.after(p.reofferAfterDecline), { kind: 'referral-reoffer' });
    } else if (task.type === 'specialist-referral-triage' && input.outcome === 'seen') {
      firstContact(d, { triage: task.commandId });
    }
    return;
  }
  const purpose = input.purpose;
  if (purpose.kind === 'referral-reoffer' && d.state.referral.status === 'declined') {
    proposeReferral(d, '2.3.referral.declined', 'routine', { reoffer: true, declinedAt: d.state.referral.declinedAt });
  } else if (purpose.kind === 'time-based-referral' && d.state.clinical.specialistContactAt === undefined) {
    if (purpose.step === 'propose' && !openTaskOf(d.state, 'specialist-referral-proposal') && !openTaskOf(d.state, 'specialist-referral-triage')) {
      const diagnosed = d.fromClinical(`${d.state.diagnosis!.diagnosedAt}T00:00:00.000Z`);
      const evidence = {
        diagnosedAt: d.state.diagnosis!.diagnosedAt,
        criterion: 'within 3 months of advanced diagnosis, median survival ≤ 12 months',
        week: 6,
      };
      if (d.state.consent.referral.decision !== 'granted' || !isActive(d.state)) return;
      d.openTask(
        '2.3.time.within-3-months',
        'specialist-referral-proposal',
        { due: p.timeBasedProposalDueAfter, priority: 'routine', dueAt: d.after(p.timeBasedProposalDueAfter, diagnosed) },
        { ...evidence, referralPriority: 'routine' },
      );
    } else if (purpose.step === 'escalate') {
      d.openTask(
        '2.3.time.escalate-week-12',
        'escalation',
        d.policy.escalation.serviceLeadTask,
        { diagnosedAt: d.state.diagnosis!.diagnosedAt, criterion: 'no specialist contact 12 weeks after advanced diagnosis' },
        { subject: 'time-based-referral' },
      );
    }
  }
}

function firstContact(d: Decision, evidence: Record<string, unknown>): void {
  d.cancelTimers((p) => p.kind === 'time-based-referral' || p.kind === 'referral-reoffer');
  const proposal = openTaskOf(d.state, 'specialist-referral-proposal');
  if (proposal) d.closeTask('2.3.referral.first-contact', proposal.commandId, 'cancelled', 'specialist-contact-made');
  if (d.before.clinical.specialistContactAt === undefined)
    d.fact('2.3.referral.first-contact', 'first-specialist-contact', d.state.clinical.specialistContactAt, d.state.clinical.specialistContactAt!, evidence);
}

/**
 * Since rules revision 4 (docs/clinical-rules.md 2.10a): the time-based criterion applies unless a median survival above
 * 12 months is recorded — also when it is recorded after enrolment (a later record of the diagnosis,
 * or a prognosis estimate): the clock stops.
 */
function stopClockOnLongSurvival(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event' || !isActive(d.state)) return;
  const e = input.event;
  const months =
    e.type === 'diagnosis.recorded' && e.data.advanced ? e.data.medianSurvivalMonths : e.type === 'prognosis.estimated' ? e.data.months : undefined;
  if (months === undefined || months <= d.policy.referral.medianSurvivalMonthsAtMost) return;
  if (!Object.values(d.state.timers).some((t) => t.purpose.kind === 'time-based-referral')) return;
  d.cancelTimers((p) => p.kind === 'time-based-referral');
  d.fact('2.3.time.clock-stopped', 'time-based-referral-stopped', { medianSurvivalMonths: months }, e.time, { eventIds: [e.id] });
}
