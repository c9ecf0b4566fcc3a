import type { PathwayTask } from '../pathway/state';
import type { Decision } from './context';
import { addMs } from './context';

const URGENT_CLINICAL = new Set(['symptom-review', 'specialist-referral-triage', 'mdt-review']);
const escalationSubject = (commandId: string) => `escalated:${commandId}`;

function skipsToOnCall(d: Decision, t: PathwayTask): boolean {
  return (URGENT_CLINICAL.has(t.type) && t.priority === 'urgent') || d.state.stage === 'end-of-life';
}

/** Grace after the due time: a fraction of the task's original allowance, clamped (policy). */
function graceMs(d: Decision, t: PathwayTask): number {
  const e = d.policy.escalation;
  const allowance = Date.parse(t.dueAt) - Date.parse(t.openedAt);
  return Math.min(d.ms(e.graceAtMost), Math.max(d.ms(e.graceAtLeast), allowance * e.graceFraction));
}

/**
 * docs/clinical-rules.md 2.11, for every task in every queue: at the due time a reminder; after a grace period an
 * `escalation` to service leads — or, for urgent clinical tasks and at end of life, to `on-call`
 * one hour after the due time. Closing a task stops its ladder and closes its escalation.
 */
export function escalationLadder(d: Decision): void {
  const { input } = d;
  // Ladders for tasks this decision opened or re-timed.
  for (const c of d.commands) {
    const target = c.kind === 'open-task' ? c.commandId : c.kind === 'update-task' ? c.target : undefined;
    const t = target ? d.state.tasks[target] : undefined;
    if (!t || t.status !== 'open' || t.type === 'escalation') continue;
    // An update that leaves the due time as it was (new evidence, an escalation level)
    // does not restart the ladder — that would remind again of the same due time.
    if (d.has('ladder-per-due-time') && c.kind === 'update-task' && d.before.tasks[t.commandId]?.dueAt === t.dueAt) continue;
    d.cancelTimers((p) => p.kind === 'task-overdue' && p.taskCommandId === t.commandId);
    d.schedule(`overdue:${t.commandId}`, t.dueAt, { kind: 'task-overdue', taskCommandId: t.commandId, step: 'remind' });
  }
  // Closed tasks (by a command or a completion): stop the ladder, close the escalation.
  const closed = d.commands.flatMap((c) => (c.kind === 'close-task' ? [c.target] : []));
  if (input.kind === 'task.completed') closed.push(input.commandId);
  for (const target of closed) {
    if (d.state.tasks[target]?.status === 'open') continue;
    d.cancelTimers((p) => p.kind === 'task-overdue' && p.taskCommandId === target);
    const escalation = Object.values(d.state.tasks).find((t) => t.status === 'open' && t.type === 'escalation' && t.subject === escalationSubject(target));
    if (escalation) d.closeTask('2.11.ladder.resolve', escalation.commandId, 'done', 'escalated-task-closed');
  }
  if (input.kind !== 'timer' || input.purpose.kind !== 'task-overdue') return;
  const { taskCommandId, step } = input.purpose;
  const t = d.state.tasks[taskCommandId];
  if (!t || t.status !== 'open') return;
  const evidence = { taskId: t.commandId, type: t.type, dueAt: t.dueAt, rule: t.reason.rule };
  if (step === 'remind') {
    d.notify(
      '2.11.ladder.remind',
      {
        kind: 'clinician-reminder',
        recipient: { role: 'queue', id: t.queue },
        channel: 'worklist',
        text: `Overdue: ${t.type}.`,
        taskCommandId: t.commandId,
        patientFacing: false,
      },
      evidence,
    );
    // At end of life the on-call delay is the end-of-life policy's (2.8: 1 hour, day or night).
    const onCallAfter = d.has('ladder-per-due-time') && d.state.stage === 'end-of-life' ? d.policy.endOfLife.onCallAfter : d.policy.escalation.onCallAfter;
    if (skipsToOnCall(d, t))
      d.schedule(`overdue:${t.commandId}:on-call`, addMs(t.dueAt, d.ms(onCallAfter)), {
        kind: 'task-overdue',
        taskCommandId: t.commandId,
        step: 'on-call',
      });
    else d.schedule(`overdue:${t.commandId}:escalate`, addMs(t.dueAt, graceMs(d, t)), { kind: 'task-overdue', taskCommandId: t.commandId, step: 'escalate' });
    return;
  }
  const onCall = step === 'on-call';
  d.openTask(
    onCall ? '2.11.ladder.on-call' : '2.11.ladder.escalate',
    'escalation',
    onCall ? d.policy.escalation.onCallTask : d.policy.escalation.serviceLeadTask,
    evidence,
    {
      subject: escalationSubject(t.commandId),
      queue: onCall ? 'on-call' : 'escalations',
    },
  );
  d.emit({
    kind: 'update-task',
    commandId: d.id(onCall ? '2.11.ladder.on-call' : '2.11.ladder.escalate', 'level'),
    target: t.commandId,
    priority: t.priority,
    dueAt: t.dueAt,
    escalationLevel: t.escalationLevel + 1,
    reason: { rule: t.reason.rule, evidence: {} },
  });
}
