import { memoryOf } from '../pathway/memory';
import { isActive } from '../pathway/state';
import { answersRequest } from '../pathway/prom-requests';
import type { Decision } from './context';
import { enrolsNow } from './stage-changes';
import type { RuleId } from './catalogue';

const promsAllowed = (d: Decision) => isActive(d.state) && d.state.stage !== 'end-of-life' && d.state.consent.proms.decision === 'granted';

/**
 * Sends a PROM request to the patient with its non-response ladder (docs/clinical-rules.md 2.2): reminders after
 * 2 and 4 days, a `prom-not-returned` call task after 5. At most one outstanding request.
 */
export function requestProms(d: Decision, rule: RuleId, instruments: string[], evidence: Record<string, unknown>): void {
  if (!promsAllowed(d)) return;
  const previous = d.state.proms.outstanding;
  if (previous) cancelLadder(d, previous.requestId);
  const requestId = `${d.state.patientId}-prom-${d.state.proms.requestsSent + 1}`;
  // Applying this notification records the outstanding request in the state (pathway/apply.ts).
  d.notify(
    rule,
    {
      kind: 'prom-request',
      recipient: { role: 'patient' },
      channel: 'app',
      text: `Please complete your symptom questionnaire (${instruments.join(' + ')}).`,
      patientFacing: true,
    },
    { ...evidence, requestId, instruments, sentAt: d.at },
    requestId,
  );
  // docs/clinical-rules.md 4 (PROM completion, follow-ups): when it was sent and until when an answer is in time.
  const notReturnedAt = d.after(d.policy.proms.notReturnedAfter);
  const followUpOf = typeof evidence.followUpOf === 'string' ? { followUpOf: evidence.followUpOf } : {};
  if (d.has('measure-facts')) d.fact(rule, 'prom-requested', { requestId, instruments, notReturnedAt, ...followUpOf }, d.at, { requestId });
  d.policy.proms.reminders.forEach((after, i) =>
    d.schedule(`prom-reminder:${requestId}:${i + 1}`, d.after(after), { kind: 'prom-reminder', requestId, step: i + 1 }),
  );
  d.schedule(`prom-not-returned:${requestId}`, d.after(d.policy.proms.notReturnedAfter), { kind: 'prom-not-returned', requestId });
}

export function cancelLadder(d: Decision, requestId?: string): void {
  d.cancelTimers((p) => (p.kind === 'prom-reminder' || p.kind === 'prom-not-returned') && (requestId === undefined || p.requestId === requestId));
}

/** Stops every patient-facing PROM activity: outstanding request, its ladder and the schedule. */
export function stopProms(d: Decision): void {
  cancelLadder(d);
  d.cancelTimers((p) => p.kind === 'prom-due' || p.kind === 'closed-loop-follow-up');
}

/** 2.2 schedule, reminders and the not-returned task; a submission ends the ladder. */
export function promSchedule(d: Decision): void {
  const { input } = d;
  if (input.kind === 'event' && input.event.type === 'prom.submitted') {
    // A response ends the ladder of the request it answers, not of whatever is outstanding.
    const answered = d.before.proms.outstanding;
    if (d.has('answers-its-request') && !answersRequest(input.event, answered)) return;
    cancelLadder(d, d.has('answers-its-request') ? answered?.requestId : undefined);
    if (d.has('measure-facts') && answered?.requestId) promAnswered(d, input.event, answered.requestId);
    const notReturned = Object.values(d.state.tasks).find(
      (t) => t.status === 'open' && t.type === 'prom-not-returned' && (!d.has('answers-its-request') || memoryOf(t).requestId === answered?.requestId),
    );
    if (notReturned) d.closeTask('2.2.proms.not-returned', notReturned.commandId, 'done', 'prom-returned');
    return;
  }
  const enrolled = d.has('closure-stays') ? enrolsNow(d) : input.kind === 'event' && input.event.type === 'diagnosis.recorded' && d.state.diagnosis?.eventId === input.event.id;
  if (enrolled) {
    d.schedule('prom-due', d.after(interval(d)), { kind: 'prom-due' });
    return;
  }
  if (
    input.kind === 'event' &&
    input.event.type === 'consent.changed' &&
    input.event.data.scope === 'proms' &&
    input.event.data.decision === 'granted' &&
    promsAllowed(d)
  ) {
    d.schedule('prom-due', d.at, { kind: 'prom-due' });
    return;
  }
  if (input.kind !== 'timer') return;
  const p = input.purpose;
  if (p.kind === 'prom-due') {
    if (!promsAllowed(d)) return;
    requestProms(d, '2.2.proms.schedule', ['ESAS-r', 'DT'], { scheduledEvery: interval(d) });
    d.schedule('prom-due', d.after(interval(d)), { kind: 'prom-due' });
  } else if (p.kind === 'prom-reminder' && d.state.proms.outstanding?.requestId === p.requestId && promsAllowed(d)) {
    d.notify(
      '2.2.proms.reminder',
      {
        kind: 'prom-reminder',
        recipient: { role: 'patient' },
        channel: 'app',
        text: 'A reminder: your symptom questionnaire is waiting.',
        patientFacing: true,
      },
      // The instruments travel with the reminder so its link names what the patient is asked (docs/notifications.md).
      { requestId: p.requestId, reminder: p.step, instruments: d.state.proms.outstanding.instruments },
      String(p.step),
    );
  } else if (p.kind === 'prom-not-returned' && d.state.proms.outstanding?.requestId === p.requestId && promsAllowed(d)) {
    d.openTask('2.2.proms.not-returned', 'prom-not-returned', d.policy.proms.notReturned, {
      requestId: p.requestId,
      sentAt: d.state.proms.outstanding.sentAt,
      missed: true,
    });
  }
}

/** docs/clinical-rules.md 4: a response to a request; `late` once the not-returned task has been opened for it. */
function promAnswered(d: Decision, e: { id: string; time: string; data: { responseId: string } }, requestId: string): void {
  const late = Object.values(d.before.tasks).some((t) => t.type === 'prom-not-returned' && memoryOf(t).requestId === requestId);
  d.fact('2.2.proms.schedule', 'prom-answered', { requestId, responseId: e.data.responseId, late }, e.time, { eventIds: [e.id], requestId });
}

function interval(d: Decision): string {
  return d.state.clinical.onSystemicTherapy ? d.policy.proms.intervalDuringSystemicTherapy : d.policy.proms.interval;
}
