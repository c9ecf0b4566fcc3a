import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HELD_LIMIT_REASON, MAX_HELD_BEFORE_ENROLMENT } from '@tandem/domain';
import { DLQ_HEADERS, headerOf } from '@tandem/kafka';
import { replayDlq } from '@tandem/kafka-bridge/dlq-replay';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import { collectTopic } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Invariant 7 for events that arrive before the diagnosis that enrols the patient: past the holding
 * limit the oldest are parked on the dead-letter topic with their reason — through the real bridge,
 * worker, outbox and relay — and `dlq:replay` brings them back once the diagnosis is there.
 */
let sys: RunningTandem;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
});

afterAll(async () => {
  await sys?.stop();
});

describe('events held before enrolment', () => {
  it('are parked past the limit with their reason, never dropped, and replayed into the pathway after the diagnosis', async () => {
    const p = newPatientId('held');
    const clinical = (h: number) => new Date(Date.parse('2026-10-01T00:00:00.000Z') + h * 3_600_000).toISOString();
    // The oldest is a delirium flag: after replay it must become an urgent referral proposal.
    const oldest = clinicalEvent('clinical.flag', p, { flag: 'delirium' }, { time: clinical(0) });
    const rest = Array.from({ length: MAX_HELD_BEFORE_ENROLMENT }, (_, i) => clinicalEvent('sact.administered', p, {}, { time: clinical(i + 1) }));
    const dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-dlq`);
    try {
      await sys.producer.send({ topic: sys.topics.in, messages: [oldest, ...rest].map((e) => ({ key: p, value: JSON.stringify(e) })) });
      const parked = await waitFor(() => dlq.messages.find((m) => m.key?.toString() === p), { what: 'the oldest held event on the DLQ', timeoutMs: 60_000 });
      expect(headerOf(parked, DLQ_HEADERS.error)).toBe(HELD_LIMIT_REASON);
      expect(JSON.parse(parked.value!.toString())).toEqual(oldest);
      expect(dlq.messages.filter((m) => m.key?.toString() === p)).toHaveLength(1);

      await sys.producer.send({ topic: sys.topics.in, messages: [{ key: p, value: JSON.stringify(advancedDiagnosis(p, { time: clinical(-24) })) }] });
      await waitFor(async () => (await sys.pool.query('SELECT 1 FROM task WHERE patient_id = $1 AND type = $2', [p, 'assign-key-worker'])).rowCount, {
        what: 'the enrolment',
        timeoutMs: 60_000,
      });
      const summary = await replayDlq({ kafka: sys.kafka, pool: sys.pool, topics: { in: sys.topics.in, dlq: sys.topics.dlq } });
      expect(summary.replayed).toBeGreaterThanOrEqual(1);
      const proposal = await waitFor(
        async () =>
          (
            await sys.pool.query<{ priority: string; reason_rule: string }>(
              `SELECT priority, reason_rule FROM task WHERE patient_id = $1 AND type = 'specialist-referral-proposal'`,
              [p],
            )
          ).rows[0],
        { what: 'the replayed flag decided', timeoutMs: 60_000 },
      );
      expect(proposal).toEqual({ priority: 'urgent', reason_rule: '2.3.needs.delirium' });
    } finally {
      await dlq.stop();
    }
  }, 240_000);
});
