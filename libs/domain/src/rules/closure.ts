import { memoryOf } from '../pathway/memory';
import type { ResolvedPolicy } from '../policy/policy';
import type { PathwayCommand, PathwayInput } from '../pathway/inputs';
import type { ClosureReason, PathwayState, PathwayTask } from '../pathway/state';
import { isDead, openTasks } from '../pathway/state';
import { inForce } from '../revisions/table';
import { Decision } from './context';
import { escalationLadder } from './escalation';
import type { Finding } from './scoring';
import { findings, isSevere } from './scoring';

/**
 * The change 'severe-answer-at-closure' (rules revision 7, docs/clinical-rules.md 2.10a): a severe answer given while the patient was in
 * the pathway's care reaches a person, even when the pathway closes by a transfer or a withdrawal
 * (or refusal) just after it. A death is not such a closure: its rules (2.9) are unchanged.
 */
export const SEVERE_ANSWER_RULE = '2.10.closure.severe-answer';
const heard = (s: PathwayState): boolean => inForce(s, 'severe-answer-at-closure');
const EXITS: ReadonlySet<ClosureReason> = new Set(['transferred', 'withdrawn', 'declined']);
const WHY = 'a severe answer given before the pathway closed: a person must still act (call the patient, hand over)';

/** The severe findings of a symptom review (opened with them, or joined by them) and the events they came from. */
function severeSources(t: PathwayTask): Array<{ eventIds: string[]; findings: Finding[] }> {
  const m = memoryOf(t);
  const own = { eventIds: m.eventIds ?? [], findings: m.findings ?? [] };
  const updates = (m.joined ?? []).map((u) => ({
    eventIds: u.eventIds ?? [],
    findings: u.findings ?? [],
  }));
  return [own, ...updates].filter((s) => s.findings.some(isSevere));
}

/**
 * The patient was in the pathway's care before the closure: enrolled clinically before it. A
 * withdrawal clinically before the enrolling diagnosis means nobody was ever enrolled (2.10a).
 */
function enrolledBefore(s: PathwayState, closedAt: string): boolean {
  // A refusal that arrived before the diagnosis closed the pathway at the diagnosis, enrolling nobody;
  // judged in clinical order, a diagnosis clinically before the refusal enrolled the patient until it.
  const from = s.enrolledAt ?? s.diagnosis?.at;
  return from !== undefined && Date.parse(from) < Date.parse(closedAt);
}

/** An answer clinically before `closedAt` (an answer no longer on record counts as before: a person looks). */
function answeredBefore(s: PathwayState, eventId: string, closedAt: string): boolean {
  const r = (s.proms.responses ?? []).find((x) => x.eventId === eventId);
  return r === undefined || Date.parse(r.at) < Date.parse(closedAt);
}

/**
 * The open urgent symptom reviews a closure by transfer or withdrawal leaves open: those opened (or
 * joined) by a severe answer clinically before the closing event. Revision ≤ 6, or a death: none.
 */
export function survivingReviews(d: Decision, closedAt: string): Set<string> {
  const keep = new Set<string>();
  if (!heard(d.before) || isDead(d.state) || !d.state.closure || !EXITS.has(d.state.closure.reason)) return keep;
  if (!enrolledBefore(d.state, closedAt)) return keep;
  for (const t of openTasks(d.state)) {
    if (t.type !== 'symptom-review' || t.priority !== 'urgent') continue;
    if (severeSources(t).some((src) => src.eventIds.some((id) => answeredBefore(d.before, id, closedAt)))) keep.add(t.commandId);
  }
  // An escalation already open for a kept review stays with it (the ladder closes it with the review).
  for (const t of openTasks(d.state)) if (t.type === 'escalation' && keep.has(t.subject.replace(/^escalated:/, ''))) keep.add(t.commandId);
  return keep;
}

/** Records on a kept review why it survived the closure. */
export function keepOpen(d: Decision, kept: ReadonlySet<string>, closure: { why: string; eventId: string; at: string }): void {
  for (const id of kept) {
    const t = d.state.tasks[id];
    if (!t || t.status !== 'open' || t.type !== 'symptom-review') continue;
    d.emit({
      kind: 'update-task',
      commandId: d.id(`${SEVERE_ANSWER_RULE}/kept`, t.commandId),
      target: t.commandId,
      priority: t.priority,
      dueAt: t.dueAt,
      reason: {
        rule: SEVERE_ANSWER_RULE,
        evidence: { keptOpenAtClosure: { rule: SEVERE_ANSWER_RULE, closure: closure.why, eventIds: [closure.eventId], closedAt: closure.at, why: WHY } },
      },
    });
  }
}

/**
 * A severe `prom.submitted` reaching a pathway closed by transfer or withdrawal, answered (clinical
 * time) before the closure of a pathway enrolled before it, opens the urgent symptom review it would
 * have opened had it arrived in time. Later answers open nothing (2.10a). Thresholds: the policy's.
 */
function severeAnswerBeforeClosure(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event' || input.event.type !== 'prom.submitted') return;
  const e = input.event;
  const closure = d.before.closure;
  if (!closure || !EXITS.has(closure.reason) || !enrolledBefore(d.before, closure.at) || isDead(d.state)) return;
  if (Date.parse(e.time) >= Date.parse(closure.at)) return;
  const p = d.policy.proms;
  const severe = findings(e.data.scores, {}, p).filter(isSevere);
  if (severe.length === 0) return;
  const rule = SEVERE_ANSWER_RULE;
  const review = d.openTask(rule, 'symptom-review', p.severeReview, {
    eventIds: [e.id],
    responseId: e.data.responseId,
    instrument: e.data.instrument,
    findings: severe,
    answeredBeforeClosure: { closure: closure.reason, closedAt: closure.at, ...(closure.eventId ? { closureEventIds: [closure.eventId] } : {}), why: WHY },
  });
  d.fact(rule, 'severe-score', { responseId: e.data.responseId, items: [...new Set(severe.map((f) => f.item))], review: review.commandId }, e.time, {
    eventIds: [e.id],
  });
}

/** A death after the closure: the kept reviews are the patient's tasks, cancelled as 2.9 cancels them. */
function deathAfterClosure(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event' || input.event.type !== 'patient.died' || isDead(d.before) || !isDead(d.state)) return;
  for (const t of openTasks(d.state)) d.closeTask('2.9.death.cancel', t.commandId, 'cancelled', 'patient-died');
}

/**
 * What a closed pathway still decides ('severe-answer-at-closure'): a severe answer from before the closure, a
 * death that ends the reviews kept open, and the ladder of those reviews (reminders, on-call, and
 * closing their escalation when they are done). Before that change a closed pathway decides nothing.
 */
export function afterClosure(state: PathwayState, next: PathwayState, input: PathwayInput, policy: ResolvedPolicy): PathwayCommand[] {
  if (!heard(state)) return [];
  const d = new Decision(state, next, input, policy);
  deathAfterClosure(d);
  severeAnswerBeforeClosure(d);
  escalationLadder(d);
  return d.commands;
}
