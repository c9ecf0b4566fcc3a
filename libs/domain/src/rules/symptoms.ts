import type { Joined } from '../pathway/memory';
import { allFindings, memoryOf } from '../pathway/memory';
import type { Priority } from '../tasks/vocabulary';
import type { Decision } from './context';
import { PRIORITY_RANK } from './context';
import { requestProms } from './proms';
import { proposeReferral } from './referral';
import type { Finding } from './scoring';
import { findings, isSevere } from './scoring';
import { isActive } from '../pathway/state';
import { answersRequest } from '../pathway/prom-requests';
import type { TaskPolicy } from '../policy/policy';
import type { PathwayState } from '../pathway/state';
import type { RuleId } from './catalogue';

/** docs/clinical-rules.md 2.2 triggers: one `symptom-review` carrying every finding at its most urgent priority. */
export function symptomTriggers(d: Decision): void {
  const { input } = d;
  if (input.kind === 'task.completed' && d.has('findings-after-completion')) return findingsMergedAfterCompletion(d);
  if (input.kind !== 'event' || input.event.type !== 'prom.submitted' || !isActive(d.state)) return;
  const e = input.event;
  const p = d.policy.proms;
  // Compare with the previous response by clinical time: the latest scores before this one.
  const previous = d.has('clinical-order')
    ? previousScores(d.before.proms.responses, e.time)
    : Object.fromEntries(
        Object.entries(d.before.proms.latest)
          .filter(([, v]) => Date.parse(v.at) < Date.parse(e.time))
          .map(([k, v]) => [k, v.score]),
      );
  if (d.has('clinical-order')) laterResponseWorse(d, e.id, e.time, e.data.scores);
  const found = findings(e.data.scores, previous, p);
  if (found.length === 0) return;
  const evidence = (fs: Finding[]) => ({ eventIds: [e.id], responseId: e.data.responseId, instrument: e.data.instrument, findings: fs });

  const ruleOf: Record<Finding['trigger'], { rule: RuleId; task: { due: string; priority: Priority } } | undefined> = {
    'severe-physical': { rule: '2.2.triggers.severe-physical', task: p.severeReview },
    'severe-emotional': { rule: '2.2.triggers.severe-emotional', task: p.severeReview },
    worsening: { rule: '2.2.triggers.worsening', task: p.worseningReview },
    moderate: { rule: '2.2.triggers.moderate', task: p.moderateReview },
    distress: undefined,
  };
  const reviewFindings = found.filter((f) => ruleOf[f.trigger]);
  if (reviewFindings.length > 0) {
    const top = reviewFindings.map((f) => ruleOf[f.trigger]!).sort((a, b) => PRIORITY_RANK[a.task.priority] - PRIORITY_RANK[b.task.priority])[0]!;
    const review = d.openTask(top.rule, 'symptom-review', top.task, evidence(reviewFindings));
    // docs/clinical-rules.md 4 (severe scores reviewed in time): which review answers this severe score.
    const severe = reviewFindings.filter((f) => f.score >= p.severeAtLeast).map((f) => f.item);
    if (d.has('measure-facts') && severe.length > 0)
      d.fact(top.rule, 'severe-score', { responseId: e.data.responseId, items: [...new Set(severe)], review: review.commandId }, e.time, { eventIds: [e.id] });
  }
  const emotional = found.filter((f) => f.trigger === 'severe-emotional');
  if (emotional.length > 0) d.openTask('2.2.triggers.severe-emotional', 'psychosocial-assessment', p.emotionalPsychosocial, evidence(emotional));
  const distress = found.filter((f) => f.trigger === 'distress');
  if (distress.length > 0) d.openTask('2.2.triggers.distress', 'psychosocial-assessment', p.distressPsychosocial, evidence(distress));

  const physical = found.filter((f) => f.trigger === 'severe-physical');
  if (physical.length > 0) proposeReferral(d, '2.3.needs.severe-physical', 'soon', evidence(physical));
  if (emotional.length > 0) proposeReferral(d, '2.3.needs.severe-emotional', 'soon', evidence(emotional));
}

/** docs/clinical-rules.md 2.2 closed loop: follow up a completed review; a symptom still severe escalates to specialists. */
export function closedLoop(d: Decision): void {
  const { input } = d;
  if (input.kind === 'task.completed') {
    const review = d.before.tasks[input.commandId];
    if (review?.type !== 'symptom-review' || review.status !== 'open') return;
    const severe = allFindings(memoryOf(review))
      .filter(isSevere)
      .map((f) => f.item);
    d.schedule(`closed-loop:${review.commandId}`, d.after(d.policy.proms.followUpAfterReview), {
      kind: 'closed-loop-follow-up',
      reviewCommandId: review.commandId,
      items: [...new Set(severe)],
    });
    return;
  }
  if (input.kind === 'timer' && input.purpose.kind === 'closed-loop-follow-up') {
    const { reviewCommandId, items } = input.purpose;
    requestProms(d, '2.2.closed-loop.follow-up', ['ESAS-r'], { followUpOf: reviewCommandId, items });
    return;
  }
  if (input.kind === 'event' && input.event.type === 'prom.submitted') {
    const pending = d.before.proms.followUp;
    if (!pending || (d.has('answers-its-request') && !answersRequest(input.event, pending))) return;
    const scores = input.event.data.scores as Record<string, number | undefined>;
    if (d.has('measure-facts')) followUpScores(d, input.event, pending, scores);
    const still = pending.items.filter((item) => (scores[item] ?? -1) >= d.policy.proms.severeAtLeast);
    if (still.length === 0) return;
    const evidence = { eventIds: [input.event.id], followUpOf: pending.reviewCommandId, stillSevere: still.map((item) => ({ item, score: scores[item] })) };
    proposeReferral(d, '2.2.closed-loop.still-severe', 'urgent', evidence, { stillSevere: true });
  }
}

/** docs/clinical-rules.md 4 (change at follow-up): each triggering item's score in the review and now. */
function followUpScores(
  d: Decision,
  e: { id: string; time: string },
  pending: { reviewCommandId: string; items: string[]; requestId?: string },
  scores: Record<string, number | undefined>,
): void {
  const review = d.before.tasks[pending.reviewCommandId];
  const found = review ? allFindings(memoryOf(review)) : [];
  const changes = pending.items.flatMap((item) => {
    const before = Math.max(...found.filter((f) => f.item === item).map((f) => f.score));
    const now = scores[item];
    return Number.isFinite(before) && now !== undefined ? [{ item, from: before, to: now }] : [];
  });
  d.fact('2.2.closed-loop.follow-up', 'follow-up-scores', { requestId: pending.requestId ?? null, followUpOf: pending.reviewCommandId, changes }, e.time, {
    eventIds: [e.id],
  });
}

/** The task each rule that joins an open finding task (symptom review, psychosocial assessment) would open on its own. */
function findingPolicy(d: Decision, type: string, rule: RuleId): TaskPolicy | undefined {
  const p = d.policy.proms;
  const byRule: Record<string, Record<string, TaskPolicy>> = {
    'symptom-review': {
      '2.2.triggers.severe-physical': p.severeReview,
      '2.2.triggers.severe-emotional': p.severeReview,
      '2.2.triggers.worsening': p.worseningReview,
      '2.2.triggers.moderate': p.moderateReview,
      '2.8.eol.symptom-check': d.policy.endOfLife.symptomCheck,
    },
    'psychosocial-assessment': {
      '2.2.triggers.severe-emotional': p.emotionalPsychosocial,
      '2.2.triggers.distress': p.distressPsychosocial,
    },
  };
  return byRule[type]?.[rule];
}

/**
 * Since rules revision 4 (docs/clinical-rules.md 2.10a): a coordinator completed a task that gathers findings
 * (a `symptom-review`, a `psychosocial-assessment`) while the pathway was adding a new finding to it —
 * the finding reached a task nobody would look at again. Findings added at or after the completion
 * land on an open task of the same type and subject: a new one, at their most urgent priority.
 */
function findingsMergedAfterCompletion(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'task.completed') return;
  const task = d.before.tasks[input.commandId];
  if (!task || task.status !== 'open' || !isActive(d.state)) return;
  // Decided on what the task remembers; the new task's evidence quotes the updates as they were
  // written (a parallel list: compact.ts bounds both alike).
  const written = (task.reason.evidence.updates as Joined[] | undefined) ?? [];
  const late = (memoryOf(task).joined ?? []).flatMap((u, i) => {
    const policy = Date.parse(u.at) >= Date.parse(input.completedAt) ? findingPolicy(d, task.type, u.rule) : undefined;
    return policy ? [{ update: written[i] ?? u, policy }] : [];
  });
  if (late.length === 0) return;
  const top = late.sort((a, b) => PRIORITY_RANK[a.policy.priority] - PRIORITY_RANK[b.policy.priority])[0]!;
  d.openTask(
    top.update.rule,
    task.type,
    top.policy,
    { mergedAfterCompletionOf: task.commandId, completedAt: input.completedAt, updates: late.map((l) => l.update) },
    { subject: task.subject, queue: task.queue },
  );
}

type Responses = NonNullable<PathwayState['proms']['responses']>;

/** Each item's score in the latest response clinically before `at`. */
function previousScores(responses: Responses | undefined, at: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of responses ?? []) if (Date.parse(r.at) < Date.parse(at)) Object.assign(out, r.scores);
  return out;
}

/**
 * Since rules revision 4 (docs/clinical-rules.md 2.10a): a response that arrives late sits between two others in clinical
 * time; the one after it is now compared with it. An item worse there by the policy's margin than in
 * the late response — and not already worse than what it was compared with before — is a worsening
 * finding of that later response: arrival order does not decide whether it is found.
 */
function laterResponseWorse(d: Decision, eventId: string, at: string, scores: Record<string, number | undefined>): void {
  const responses = d.before.proms.responses ?? [];
  const worse: Finding[] = [];
  const sources = new Set<string>();
  for (const [item, score] of Object.entries(scores)) {
    if (score === undefined || item === 'distress') continue;
    const next = responses.find((r) => Date.parse(r.at) > Date.parse(at) && r.scores[item] !== undefined);
    if (!next || next.scores[item]! - score < d.policy.proms.worseningBy) continue;
    const before = previousScores(responses, next.at)[item];
    if (before !== undefined && next.scores[item]! - before >= d.policy.proms.worseningBy) continue;
    worse.push({ item, score: next.scores[item]!, previous: score, trigger: 'worsening' });
    sources.add(next.eventId);
  }
  if (worse.length === 0) return;
  d.openTask('2.2.triggers.worsening', 'symptom-review', d.policy.proms.worseningReview, {
    eventIds: [...sources, eventId],
    findings: worse,
    comparedWithLateResponse: eventId,
  });
}
