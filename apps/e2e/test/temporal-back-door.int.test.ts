import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import { clinicalEventSignal, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Issue 26, finding 4 on the real services: Temporal is a back door. Whoever reaches the Temporal
 * server can signal `pathway-<id>` directly, around the API and the bridge. A plaintext signal (a
 * client without the codec, as the Temporal CLI sends it) and an encrypted but invalid one are
 * refused: no task, visible as problems on the pathway view, and the pathway goes on working.
 */
const DAY_SECONDS = 1; // TANDEM_TIME_SCALE=86400: a pathway day per second, so its timers fire within the test
let sys: RunningTandem;
let token: string;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl'), env: { TANDEM_TIME_SCALE: String(86_400 / DAY_SECONDS) } });
  token = await sys.token(['admin'], 'back-door-reader');
});

afterAll(async () => {
  await sys?.stop();
});

interface PathwayAnswer {
  openTasks: Array<{ type: string }>;
  nextTimers: Array<{ id: string; fireAt: string }>;
  problems: Array<{ type: string; message: string }>;
}
const pathway = async (patientId: string): Promise<PathwayAnswer> => {
  const res = await fetch(`${sys.apiUrl}/api/v1/patients/${patientId}/pathway`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as PathwayAnswer;
};
const produce = (e: { subject: string }) => sys.producer.send({ topic: sys.topics.in, messages: [{ key: e.subject, value: JSON.stringify(e) }] });
const symptomReviews = async (patientId: string) =>
  (await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM task WHERE patient_id = $1 AND type = 'symptom-review'`, [patientId])).rows[0]!.n;
const severe = (patientId: string, pain: number) => clinicalEvent('prom.submitted', patientId, { instrument: 'ESAS-r', responseId: `resp-${pain}-${Date.now()}`, scores: { pain } });

describe('finding 4: Temporal is a back door — signals sent to the workflow directly', () => {
  it('a plaintext prom.submitted and an encrypted one with pain 999 open no task, both show as problems, and the pathway goes on (a genuine answer opens its review, its timers fire)', async () => {
    const p = newPatientId('back-door');
    await produce(advancedDiagnosis(p));
    await waitFor(async () => (await pathway(p).catch(() => undefined))?.openTasks.length === 4, { what: 'the enrolment tasks', timeoutMs: 30_000 });

    // (a) A client without the codec: the payload reaches Temporal as plain JSON.
    const withoutCodec = new Client({ connection: sys.temporal.connection, namespace: sys.config.temporal.namespace });
    await withoutCodec.workflow.getHandle(pathwayWorkflowId(p)).signal(clinicalEventSignal, severe(p, 9) as never);
    // (b) Encrypted with the right key, but not an event the domain accepts.
    await sys.temporal.workflow.getHandle(pathwayWorkflowId(p)).signal(clinicalEventSignal, severe(p, 999) as never);

    const refused = await waitFor(
      async () => {
        const v = await pathway(p);
        return v.problems.filter((x) => x.type === 'refused-signal').length === 2 ? v : undefined;
      },
      { what: 'both refusals on the pathway view', timeoutMs: 30_000 },
    );
    expect(refused.problems.map((x) => x.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('payload-unencrypted'), expect.stringMatching(/invalid-data\): data\.scores\.pain/)]),
    );
    expect(JSON.stringify(refused.problems)).not.toContain('999');
    expect(await symptomReviews(p)).toBe(0);
    expect(refused.openTasks.map((t) => t.type)).not.toContain('symptom-review');

    // The pathway still works: a genuine severe answer through the door opens its review…
    await produce(severe(p, 9));
    await waitFor(async () => (await symptomReviews(p)) === 1, { what: 'the review of the genuine answer', timeoutMs: 30_000 });
    // …and its timers still fire: the soonest one now pending is gone from the view once its time has come.
    const { nextTimers } = await pathway(p);
    expect(nextTimers.length).toBeGreaterThan(0);
    const soonest = nextTimers[0]!;
    await waitFor(async () => !(await pathway(p)).nextTimers.some((t) => t.id === soonest.id && t.fireAt === soonest.fireAt), {
      what: `the timer ${soonest.id} to fire`,
      timeoutMs: 60_000,
    });
    expect((await pathway(p)).problems.filter((x) => x.type === 'refused-signal')).toHaveLength(2);
  }, 150_000);
});
