import { describe, expect, it } from 'vitest';
import type { PathwayCommand } from '@tandem/domain';
import { KEY_WORKER_REASON, openKeyWorkerCommand } from '@tandem/testing';
import { stepOps } from '../src/step-ops';

const reason = KEY_WORKER_REASON;
const open = openKeyWorkerCommand('c-open');
const notify = {
  kind: 'notify',
  commandId: 'c-notify',
  notification: { kind: 'task-opened', recipient: 'coordination', channel: 'queue', text: 'A key worker is needed', taskCommandId: 'c-open', reason },
} as unknown as PathwayCommand;
const timer = { kind: 'schedule-timer', timerId: 't-1', fireAt: '2026-12-01T00:00:00.000Z', purpose: { kind: 'prom-due' } } as unknown as PathwayCommand;
const fact = (name: string) =>
  ({ kind: 'record-fact', commandId: `c-${name}`, fact: { name, at: '2026-11-29T00:00:00.000Z', reason } }) as unknown as PathwayCommand;
const close = {
  kind: 'close-task',
  commandId: 'c-close',
  target: 'c-open',
  status: 'cancelled',
  why: 'withdrawn',
  at: '2026-11-30T00:00:00.000Z',
  rule: 'r',
} as unknown as PathwayCommand;
const escalate = {
  kind: 'update-task',
  commandId: 'c-esc',
  target: 'c-open',
  priority: 'urgent',
  dueAt: '2026-11-30T00:00:00.000Z',
  escalationLevel: 1,
  reason,
} as unknown as PathwayCommand;

const step = { workflowId: 'pathway-p1', patientId: 'p1', sourceEventId: 'e1' };
const summary = (ops: ReturnType<typeof stepOps>) => ops.map((o) => `${o.k}:${'key' in o ? o.key : o.target}${'event' in o ? `:${o.event.type}` : ''}`);

describe('stepOps (the writes of one pathway step, in order)', () => {
  it.each<{ name: string; commands: PathwayCommand[]; stage?: { from: string; to: string }; stepKey?: string; expected: string[] }>([
    {
      name: 'a task and its notification; timers are not writes',
      commands: [open, timer, notify],
      expected: ['open:pathway-p1/c-open:tandem.task.opened', 'notify:pathway-p1/c-notify'],
    },
    {
      name: 'a stage change comes first, keyed by the step key',
      commands: [timer, open],
      stage: { from: 'referred', to: 'enrolled' },
      stepKey: 't-1',
      expected: ['event:pathway-p1/t-1/stage/enrolled/pathway-event:tandem.pathway.stage-changed', 'open:pathway-p1/c-open:tandem.task.opened'],
    },
    {
      name: 'without a step key (requests recorded before it), the first command keys the stage change',
      commands: [open],
      stage: { from: 'referred', to: 'enrolled' },
      expected: ['event:pathway-p1/c-open/stage/enrolled/pathway-event:tandem.pathway.stage-changed', 'open:pathway-p1/c-open:tandem.task.opened'],
    },
    {
      name: 'a fact, then its event; referral-sent has its own event type',
      commands: [fact('advanced-diagnosis'), fact('referral-sent')],
      expected: [
        'fact:pathway-p1/c-advanced-diagnosis',
        'event:pathway-p1/c-advanced-diagnosis/pathway-event:tandem.pathway.fact-recorded',
        'fact:pathway-p1/c-referral-sent',
        'event:pathway-p1/c-referral-sent/pathway-event:tandem.referral.sent',
      ],
    },
    { name: 'an escalation and a close', commands: [escalate, close], expected: ['update:c-open:tandem.task.escalated', 'close:c-open:tandem.task.closed'] },
    { name: 'nothing to write', commands: [timer], expected: [] },
  ])('$name', ({ commands, stage, stepKey, expected }) => {
    expect(summary(stepOps({ ...step, stage, stepKey }, commands))).toEqual(expected);
  });

  it('leaves to PostgreSQL only what it knows: task ids, escalation levels, the time', () => {
    const ops = stepOps(step, [open, notify, escalate], () => '2026-11-29T10:00:00.000Z');
    expect(ops[0]).toMatchObject({
      k: 'open',
      sourceEventId: 'e1',
      evidence: reason.evidence,
      event: { subject: 'p1', data: { rule: reason.rule, sourceEventId: 'e1' } },
    });
    expect(ops[0]!.k === 'open' && ops[0]!.event.data).not.toHaveProperty('taskId');
    expect(ops[1]).toEqual({
      k: 'notify',
      key: 'pathway-p1/c-notify',
      taskCommandId: 'c-open',
      payload: {
        patientId: 'p1',
        kind: 'task-opened',
        recipient: 'coordination',
        channel: 'queue',
        text: 'A key worker is needed',
        createdAt: '2026-11-29T10:00:00.000Z',
        reason,
      },
    });
    expect(ops[2]).toMatchObject({ k: 'update', level: 1, event: { data: { priority: 'urgent', rule: reason.rule } } });
    expect(JSON.stringify(ops)).not.toContain('"time"');
  });
});

describe('stepOps: a parked event', () => {
  it('is queued for the dead-letter topic with its envelope and reason, keyed by the command', () => {
    const event = { id: 'e9', type: 'sact.administered' };
    const park = { kind: 'park-event', commandId: 'park#e9', event, reason: 'held-before-enrolment-limit', detail: 'd' } as unknown as PathwayCommand;
    expect(stepOps(step, [park])).toEqual([
      { k: 'park', key: 'pathway-p1/park#e9', payload: { record: event, error: 'held-before-enrolment-limit', detail: 'd' } },
    ]);
  });
});
