import { describe, expect, it } from 'vitest';
import type { Reason } from '../src';
import { NOTIFICATION_KINDS, QUEUES, RULE_IDS, STAGES, TASK_OUTCOMES, TASK_TYPES, taskSummary, VOCABULARY } from '../src';

describe('words for codes', () => {
  it('have a label for every task type, queue, stage, notification kind, outcome and rule', () => {
    for (const t of Object.keys(TASK_TYPES)) expect(VOCABULARY.tasks).toHaveProperty([t]);
    for (const q of QUEUES) expect(VOCABULARY.queues).toHaveProperty([q]);
    for (const s of STAGES) expect(VOCABULARY.stages).toHaveProperty([s]);
    for (const k of NOTIFICATION_KINDS) expect(VOCABULARY.notifications).toHaveProperty([k]);
    for (const o of Object.values(TASK_OUTCOMES).flat()) expect(VOCABULARY.outcomes).toHaveProperty([o]);
    for (const r of RULE_IDS) expect(VOCABULARY.rules[r].length).toBeGreaterThan(10);
  });
});

describe('taskSummary', () => {
  const createdAt = '2026-11-30T09:15:00.000Z';
  it.each<[string, { type: string; reason: Reason }, string]>([
    [
      'a severe finding',
      {
        type: 'symptom-review',
        reason: { rule: '2.2.triggers.severe-physical', evidence: { findings: [{ item: 'pain', score: 8, trigger: 'severe-physical' }] } },
      },
      'Symptom review — pain 8/10, severe, reported 30 Nov',
    ],
    [
      'several findings, highest first, one per item',
      {
        type: 'symptom-review',
        reason: {
          rule: '2.2.triggers.moderate',
          evidence: {
            findings: [
              { item: 'appetite', score: 5, trigger: 'moderate' },
              { item: 'pain', score: 6, previous: 3, trigger: 'worsening' },
              { item: 'pain', score: 6, trigger: 'moderate' },
            ],
          },
        },
      },
      'Symptom review — pain 6/10, worse from 3; lack of appetite 5/10, moderate, reported 30 Nov',
    ],
    [
      'findings merged in later',
      {
        type: 'symptom-review',
        reason: { rule: '2.2.triggers.severe-physical', evidence: { findings: [], updates: [{ findings: [{ item: 'nausea', score: 7, trigger: 'severe-physical' }] }] } },
      },
      'Symptom review — nausea 7/10, severe, reported 30 Nov',
    ],
    [
      'the Distress Thermometer',
      {
        type: 'psychosocial-assessment',
        reason: { rule: '2.2.triggers.distress', evidence: { findings: [{ item: 'distress', score: 6, trigger: 'distress' }] } },
      },
      'Psychosocial assessment — Distress Thermometer 6/10, at or above the threshold, reported 30 Nov',
    ],
    [
      'an escalation names the overdue task',
      { type: 'escalation', reason: { rule: '2.11.ladder.escalate', evidence: { type: 'acp-conversation' } } },
      'Escalation: overdue task — advance care planning conversation',
    ],
    [
      'a task without scores',
      { type: 'assign-key-worker', reason: { rule: '2.1.enrolment.assign-key-worker', evidence: { eventIds: ['e'] } } },
      'Assign a key worker',
    ],
  ])('%s', (_, task, words) => expect(taskSummary({ ...task, createdAt })).toBe(words));
});
