import { isActive, openTaskOf } from '../pathway/state';
import type { Decision } from './context';
import type { RuleId } from './catalogue';

function offerAcp(d: Decision, rule: RuleId, evidence: Record<string, unknown>): void {
  if (!isActive(d.state) || openTaskOf(d.state, 'acp-conversation')) return;
  d.openTask(rule, 'acp-conversation', d.policy.enrolment.acpConversation, evidence);
}

/** docs/clinical-rules.md 2.4: ACP is a process — outcomes, re-offers at progression and every 6 months, follow-up of "ready". */
export function advanceCarePlanning(d: Decision): void {
  const { input } = d;
  const p = d.policy.acp;
  if (input.kind === 'event') {
    const e = input.event;
    if (e.type === 'disease.progressed') offerAcp(d, '2.4.acp.reoffer-progression', { eventIds: [e.id], line: e.data.line });
    if (e.type === 'acp.documented') {
      d.cancelTimers((t) => t.kind === 'acp-ready-reminder' || t.kind === 'acp-ready-escalation');
      const open = openTaskOf(d.state, 'acp-conversation');
      if (open) d.closeTask('2.4.acp.share-with-gp', open.commandId, 'done', 'acp-documented');
      if (d.has('acp-as-a-process')) closeReadyEscalation(d);
      d.fact('2.4.acp.share-with-gp', 'acp-documented', e.data, e.time, { eventIds: [e.id] });
      if (isActive(d.state)) {
        d.notify(
          '2.4.acp.share-with-gp',
          {
            kind: 'gp-update',
            recipient: { role: 'gp' },
            channel: 'shared-record',
            text: 'Advance care plan documented; shared with primary care.',
            patientFacing: false,
          },
          { eventIds: [e.id] },
        );
      }
    }
    return;
  }
  if (input.kind === 'task.completed') {
    const task = d.before.tasks[input.commandId];
    if (task?.type !== 'acp-conversation' || task.status !== 'open') return;
    const evidence = { conversation: task.commandId, outcome: input.outcome };
    if (input.outcome === 'documented' && d.has('acp-as-a-process')) closeReadyEscalation(d);
    if (input.outcome === 'ready') {
      d.schedule('acp-ready-reminder', d.after(p.readyReminderAfter), { kind: 'acp-ready-reminder' });
      d.schedule('acp-ready-escalation', d.after(p.readyEscalationAfter), { kind: 'acp-ready-escalation' });
    } else if (input.outcome === 'not-ready') {
      d.schedule('acp-reoffer', d.after(p.notReadyReofferAfter), { kind: 'acp-reoffer' });
    } else if (input.outcome === 'declined') {
      d.cancelTimers((t) => t.kind === 'acp-reoffer');
    }
    // ACP as a process: after a decline the 6-month cycle stopped; a later conversation that goes on
    // (ready, documented) starts it again, so ACP stays a process (2.4).
    if (d.has('acp-as-a-process') && (input.outcome === 'ready' || input.outcome === 'documented') && !d.state.timers['acp-reoffer'] && isActive(d.state))
      d.schedule('acp-reoffer', d.after(p.reofferEvery), { kind: 'acp-reoffer' });
    d.fact('2.4.acp.outcome', 'acp-conversation', input.outcome, input.completedAt, evidence);
    return;
  }
  const purpose = input.purpose;
  if (purpose.kind === 'acp-reoffer') {
    if (d.state.acp.status !== 'declined') offerAcp(d, '2.4.acp.reoffer-6-months', { lastStatus: d.state.acp.status });
    if (isActive(d.state)) d.schedule('acp-reoffer', d.after(p.reofferEvery), { kind: 'acp-reoffer' });
  } else if (purpose.kind === 'acp-ready-reminder' && d.state.acp.status === 'ready' && isActive(d.state)) {
    d.notify(
      '2.4.acp.ready-reminder',
      {
        kind: 'clinician-reminder',
        recipient: { role: 'team', id: 'oncology' },
        channel: 'worklist',
        text: 'The patient said they were ready for advance care planning 30 days ago; nothing is documented yet.',
        patientFacing: false,
      },
      { readySince: p.readyReminderAfter },
    );
  } else if (purpose.kind === 'acp-ready-escalation' && d.state.acp.status === 'ready' && isActive(d.state)) {
    d.openTask(
      '2.4.acp.ready-escalation',
      'escalation',
      d.policy.escalation.serviceLeadTask,
      { readySince: p.readyEscalationAfter, criterion: 'ACP ready but not documented' },
      { subject: 'acp-ready' },
    );
  }
}

/** Since rules revision 4: once ACP is documented, the "ready but not documented" escalation has done its work. */
function closeReadyEscalation(d: Decision): void {
  const escalation = openTaskOf(d.state, 'escalation', 'acp-ready');
  if (escalation) d.closeTask('2.4.acp.ready-escalation', escalation.commandId, 'done', 'acp-documented');
}
