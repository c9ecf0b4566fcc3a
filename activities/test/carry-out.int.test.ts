import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PathwayCommand } from '@tandem/domain';
import { KEY_WORKER_REASON, openKeyWorkerCommand } from '@tandem/testing';
import { createActivities } from '../src';

/** The pathway activity on the real PostgreSQL test database: idempotent by workflow id + command id. */
let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: inject('databaseUrl'), max: 2 });
});
afterAll(async () => {
  await pool?.end();
});

const reason = KEY_WORKER_REASON;

async function count(table: string, patientId: string): Promise<number> {
  const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE patient_id = $1`, [patientId]);
  return r.rows[0]!.n;
}

describe('carryOut', () => {
  it('has the effect of one run when retried: one task, one notification, one fact', async () => {
    const patientId = `pt-${randomUUID().slice(0, 8)}`;
    const activities = createActivities({ pool, workflowId: () => `pathway-${patientId}` });
    const commands: PathwayCommand[] = [
      openKeyWorkerCommand('open#1'),
      {
        kind: 'notify',
        commandId: 'gp#1',
        notification: {
          kind: 'gp-update',
          recipient: { role: 'gp' },
          channel: 'shared-record',
          text: 'enrolled',
          taskCommandId: 'open#1',
          patientFacing: false,
          reason,
        },
      },
      { kind: 'record-fact', commandId: 'fact#1', fact: { name: 'diagnosis', value: { cancerType: 'C34.9' }, at: '2026-11-29T00:00:00.000Z', reason } },
      { kind: 'schedule-timer', timerId: 't', fireAt: '2026-12-01T00:00:00.000Z', purpose: { kind: 'prom-due' } },
    ];
    const first = await activities.carryOut({ patientId, commands });
    const again = await activities.carryOut({ patientId, commands });
    expect(again).toEqual(first);
    expect(first).toEqual({ opened: 1 });
    expect(await count('task', patientId)).toBe(1);
    const taskId = (await pool.query<{ id: string }>('SELECT id FROM task WHERE patient_id = $1', [patientId])).rows[0]!.id;
    expect(await count('pathway_fact', patientId)).toBe(1);
    // The outbox holds, once each and in the step's order: the task's opening, the notification, the fact.
    const outbox = (
      await pool.query<{ topic: string; payload: Record<string, unknown> }>('SELECT topic, payload FROM outbox WHERE patient_id = $1 ORDER BY seq', [patientId])
    ).rows;
    expect(outbox.map((r) => [r.topic, r.payload.type ?? r.payload.kind])).toEqual([
      ['pathway-events', 'tandem.task.opened'],
      ['care-notifications', 'gp-update'],
      ['pathway-events', 'tandem.pathway.fact-recorded'],
    ]);
    expect(outbox[0]!.payload).toMatchObject({
      specversion: '1.0',
      subject: patientId,
      data: { taskId: taskId, type: 'assign-key-worker', rule: reason.rule },
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(outbox[1]!.payload).toMatchObject({ patientId, kind: 'gp-update', taskId: taskId, reason });
  });

  it('updates and closes idempotently, and keeps one open task per (patient, type, subject) in the database too', async () => {
    const patientId = `pt-${randomUUID().slice(0, 8)}`;
    const activities = createActivities({ pool, workflowId: () => `pathway-${patientId}` });
    await activities.carryOut({ patientId, commands: [openKeyWorkerCommand('open#1'), openKeyWorkerCommand('open#2')] });
    expect(await count('task', patientId)).toBe(1);
    const raise: PathwayCommand = {
      kind: 'update-task',
      commandId: 'up#1',
      target: 'open#1',
      priority: 'urgent',
      dueAt: '2026-11-30T00:00:00.000Z',
      escalationLevel: 1,
      reason: { rule: '2.11.ladder.escalate', evidence: { updates: [{ rule: '2.11.ladder.escalate' }] } },
    };
    const close: PathwayCommand = {
      kind: 'close-task',
      commandId: 'close#1',
      target: 'open#1',
      status: 'cancelled',
      why: 'patient-died',
      at: '2026-11-30T01:00:00.000Z',
      rule: '2.9.death.cancel',
    };
    for (let i = 0; i < 2; i++) await activities.carryOut({ patientId, commands: [raise, close] });
    const [task] = (await pool.query('SELECT priority, escalation_level, status, outcome, reason_evidence FROM task WHERE patient_id = $1', [patientId])).rows;
    expect(task).toMatchObject({
      priority: 'urgent',
      escalation_level: 1,
      status: 'cancelled',
      outcome: 'patient-died',
      reason_evidence: { eventIds: ['e1'], updates: [{ rule: '2.11.ladder.escalate' }] },
    });
    const history = await pool.query('SELECT h.status FROM task_history h JOIN task t ON t.id = h.task_id WHERE t.patient_id = $1 ORDER BY h.id', [patientId]);
    expect(history.rows.map((r: { status: string }) => r.status)).toEqual(['open', 'cancelled']);
  });
});

describe('carryOut: parked events and writes that cannot succeed', () => {
  it('queues an event the pathway cannot hold for the dead-letter topic, once, with its reason', async () => {
    const patientId = `pt-${randomUUID().slice(0, 8)}`;
    const activities = createActivities({ pool, workflowId: () => `pathway-${patientId}` });
    const event = {
      specversion: '1.0',
      id: `e-${patientId}`,
      source: 'test',
      type: 'sact.administered',
      subject: patientId,
      time: '2026-11-29T00:00:00.000Z',
      data: {},
    };
    const commands = [
      { kind: 'park-event', commandId: `park#${event.id}`, event, reason: 'held-before-enrolment-limit', detail: 'replay later' },
    ] as PathwayCommand[];
    await activities.carryOut({ patientId, commands });
    await activities.carryOut({ patientId, commands });
    const rows = (await pool.query<{ topic: string; payload: Record<string, unknown> }>('SELECT topic, payload FROM outbox WHERE patient_id = $1', [patientId]))
      .rows;
    expect(rows).toEqual([{ topic: 'clinical-events.dlq', payload: { record: event, error: 'held-before-enrolment-limit', detail: 'replay later' } }]);
  });

  it('fails non-retryably, naming the error class (no data), when PostgreSQL refuses the writes for good, and counts it', async () => {
    const patientId = `pt-${randomUUID().slice(0, 8)}`;
    const workflowId = `pathway-${patientId}`;
    const activities = createActivities({ pool, workflowId: () => workflowId });
    const bad = openKeyWorkerCommand('open#bad');
    if (bad.kind === 'open-task') bad.task = { ...bad.task, priority: 'whenever' as never }; // breaks the priority CHECK constraint
    const failure = await activities.carryOut({ patientId, commands: [bad], stepKey: 'open#bad' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'integrity-constraint-violation' });
    expect((failure as Error).message).not.toContain('whenever');
    const counted = await pool.query('SELECT type, sqlstate FROM step_failure WHERE workflow_id = $1', [workflowId]);
    expect(counted.rows).toEqual([{ type: 'integrity-constraint-violation', sqlstate: '23514' }]);
    expect(await count('task', patientId)).toBe(0);
  });

  it('leaves a transient failure (the database unreachable) to the retry policy', async () => {
    const unreachable = new Pool({ connectionString: 'postgresql://nobody:x@127.0.0.1:1/none', connectionTimeoutMillis: 500 });
    const activities = createActivities({ pool: unreachable, workflowId: () => 'pathway-x' });
    const failure = await activities.carryOut({ patientId: 'x', commands: [openKeyWorkerCommand('open#x')] }).catch((e: unknown) => e);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    await unreachable.end();
  });
});
