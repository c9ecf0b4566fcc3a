import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CareNotification } from '@tandem/domain';
import {
  dropNotification,
  markDelivered,
  patientContact,
  patientStanding,
  promLinkIssued,
  promLinkState,
  promTokenHash,
  recordNotification,
} from '../src';
import { scratchDatabase } from './support/measure-fixtures';

/**
 * Issue 26 on the real database (migration 015, patient-standing.ts, prom-link-state.ts): PROM links
 * are found by the hash of their token and leave the outbox and the notifier's records once delivered
 * (finding 18); a closed pathway's link is `closed`, whatever the reason (findings 5, 14); a
 * registration with a forged clinical time does not pick the patient's contact (finding 1).
 */
let db: { pool: pg.Pool; drop: () => Promise<void> };

beforeAll(async () => {
  db = await scratchDatabase(inject('databaseUrl'), 'links');
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const event = async (patientId: string, type: string, time: string, data: Record<string, unknown>, receivedAt?: string) => {
  const id = `e-${randomUUID()}`;
  await db.pool.query(
    `INSERT INTO clinical_event (id, patient_id, type, time, source, envelope, received_at) VALUES ($1, $2, $3, $4, 'test', $5, COALESCE($6::timestamptz, now()))`,
    [id, patientId, type, time, JSON.stringify({ specversion: '1.0', id, source: 'test', type, subject: patientId, time, data }), receivedAt ?? null],
  );
};

const queueLink = async (patientId: string, requestId: string) => {
  const token = `tok-${randomUUID()}.${randomUUID()}`;
  const id = randomUUID();
  const payload = {
    id,
    patientId,
    kind: 'prom-request',
    recipient: { role: 'patient' },
    channel: 'app',
    text: 'Your questionnaire',
    createdAt: new Date().toISOString(),
    reason: { rule: '2.2.proms.request', evidence: { requestId } },
    link: `https://tandem.example.org/p/${token}`,
  };
  await db.pool.query(`INSERT INTO outbox (idempotency_key, topic, patient_id, payload) VALUES ($1, 'care-notifications', $2, $3)`, [
    `k-${id}`,
    patientId,
    JSON.stringify(payload),
  ]);
  return { token, notification: payload as CareNotification };
};

describe('PROM links at rest (finding 18)', () => {
  it('a queued link is recorded by the hash of its token, and no table the PROM page reads holds the token', async () => {
    const { token } = await queueLink('p-hash', 'p-hash-prom-1');
    const rows = await db.pool.query<{ row: string; hash: Buffer }>(`SELECT row_to_json(l)::text AS row, token_hash AS hash FROM prom_link l WHERE patient_id = 'p-hash'`);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.hash.equals(promTokenHash(token))).toBe(true);
    expect(rows.rows[0]!.row).not.toContain(token.slice(4, 20));
    expect(await promLinkIssued(db.pool, token, { rid: 'p-hash-prom-1', pid: 'p-hash', ins: ['DT'] })).toBe(true);
    // A token Tandem never queued (or queued for another request or patient) is not a link.
    expect(await promLinkIssued(db.pool, `${token}x`, { rid: 'p-hash-prom-1', pid: 'p-hash', ins: ['DT'] })).toBe(false);
    expect(await promLinkIssued(db.pool, token, { rid: 'p-hash-prom-2', pid: 'p-hash', ins: ['DT'] })).toBe(false);
    expect(await promLinkIssued(db.pool, token, { rid: 'p-hash-prom-1', pid: 'p-other', ins: ['DT'] })).toBe(false);
  });

  it('the outbox drops a link once it is relayed to care-notifications, and keeps the rest of the record', async () => {
    const { notification } = await queueLink('p-relay', 'p-relay-prom-1');
    const before = await db.pool.query<{ payload: CareNotification }>(`SELECT payload FROM outbox WHERE patient_id = 'p-relay'`);
    expect(before.rows[0]!.payload.link).toBe(notification.link);
    await db.pool.query(`UPDATE outbox SET sent_at = now() WHERE patient_id = 'p-relay'`);
    const after = await db.pool.query<{ payload: CareNotification }>(`SELECT payload FROM outbox WHERE patient_id = 'p-relay'`);
    expect(after.rows[0]!.payload.link).toBeUndefined();
    expect(after.rows[0]!.payload).toMatchObject({ id: notification.id, kind: 'prom-request', reason: notification.reason });
  });

  it('the notifier keeps a link only while a channel still has to send it: gone once delivered, or dropped, and never kept for in-app only', async () => {
    const linkOf = async (id: string) =>
      (await db.pool.query<{ link: string | null }>(`SELECT payload->>'link' AS link FROM notification WHERE id = $1`, [id])).rows[0]!.link;
    const n = (await queueLink('p-deliver', 'p-deliver-prom-1')).notification;
    await recordNotification(db.pool, n, [
      { channel: 'email', status: 'pending' },
      { channel: 'sms', status: 'pending' },
    ]);
    expect(await linkOf(n.id)).toBe(n.link);
    await markDelivered(db.pool, { notificationId: n.id, channel: 'email' }, "the patient's e-mail");
    // The SMS is still to send: it needs the link.
    expect(await linkOf(n.id)).toBe(n.link);
    await markDelivered(db.pool, { notificationId: n.id, channel: 'sms' }, "the patient's phone");
    expect(await linkOf(n.id)).toBeNull();

    const dropped = (await queueLink('p-drop', 'p-drop-prom-1')).notification;
    await recordNotification(db.pool, dropped, [{ channel: 'email', status: 'pending' }]);
    await dropNotification(db.pool, dropped.id, 'not delivered: the patient has died');
    expect(await linkOf(dropped.id)).toBeNull();

    const inApp = (await queueLink('p-inapp', 'p-inapp-prom-1')).notification;
    await recordNotification(db.pool, inApp, [{ channel: 'in-app', status: 'delivered', deliveredTo: 'the console' }]);
    expect(await linkOf(inApp.id)).toBeNull();
  });
});

describe('a closed pathway’s link (findings 5 and 14)', () => {
  const claims = (pid: string, rid: string) => ({ rid, pid, ins: ['ESAS-r'] });
  const requested = (patientId: string, requestId: string, at: string) =>
    db.pool.query(
      `INSERT INTO pathway_fact (idempotency_key, patient_id, name, value, at, rule, evidence) VALUES ($1, $2, 'prom-requested', $3, $4, '2.2.proms.request', '{}')`,
      [`f-${randomUUID()}`, patientId, JSON.stringify({ requestId }), at],
    );

  it('after a transfer out, a request made before it is closed, and one made after a re-enrolment is open', async () => {
    await event('p-tr', 'patient.registered', '2026-01-01T00:00:00Z', { birthDate: '1950-01-01', preferredLanguage: 'es' });
    await requested('p-tr', 'p-tr-prom-1', '2026-01-02T00:00:00Z');
    expect((await promLinkState(db.pool, claims('p-tr', 'p-tr-prom-1'))).state).toBe('open');
    await event('p-tr', 'patient.transferred', '2026-01-03T00:00:00Z', { toOrganisation: 'elsewhere' });
    expect(await promLinkState(db.pool, claims('p-tr', 'p-tr-prom-1'))).toEqual({ state: 'closed' });
    await requested('p-tr', 'p-tr-prom-2', '2026-02-01T00:00:00Z');
    expect((await promLinkState(db.pool, claims('p-tr', 'p-tr-prom-2'))).state).toBe('open');
  });

  it('a death, a withdrawal, declined questionnaires and a closed stage all read `closed`, with no preferred language', async () => {
    const reasons: Array<[string, (p: string) => Promise<unknown>]> = [
      ['died', (p) => event(p, 'patient.died', '2026-01-05T00:00:00Z', { placeOfDeath: 'home' })],
      ['withdrawn', (p) => event(p, 'consent.changed', '2026-01-05T00:00:00Z', { scope: 'pathway', decision: 'withdrawn' })],
      ['proms declined', (p) => event(p, 'consent.changed', '2026-01-05T00:00:00Z', { scope: 'proms', decision: 'declined' })],
      ['stage closed', (p) => db.pool.query(`INSERT INTO pathway_stage (patient_id, stage) VALUES ($1, 'closed')`, [p])],
    ];
    for (const [why, close] of reasons) {
      const p = `p-closed-${why.replace(/\W/g, '')}`;
      await event(p, 'patient.registered', '2026-01-01T00:00:00Z', { birthDate: '1950-01-01', preferredLanguage: 'es' });
      await close(p);
      expect({ why, state: await promLinkState(db.pool, claims(p, `${p}-prom-1`)) }).toEqual({ why, state: { state: 'closed' } });
    }
  });
});

describe('contact details by a rule a forged time cannot win (finding 1)', () => {
  it('a registration claiming 9999-12-31 does not outrank a genuine one received after it', async () => {
    const p = 'p-forged';
    await event(p, 'patient.registered', '2026-01-01T00:00:00Z', { birthDate: '1950-01-01', contact: { email: 'old@patients.test' } }, '2026-01-01T00:00:01Z');
    await event(
      p,
      'patient.registered',
      '9999-12-31T23:59:59Z',
      { birthDate: '1950-01-01', preferredLanguage: 'es', contact: { email: 'attacker@evil.test' } },
      '2026-02-01T00:00:00Z',
    );
    await event(
      p,
      'patient.registered',
      '2026-03-01T00:00:00Z',
      { birthDate: '1950-01-01', preferredLanguage: 'en', contact: { email: 'genuine@patients.test' } },
      '2026-03-01T00:00:01Z',
    );
    expect((await patientContact(db.pool, p)).email).toBe('genuine@patients.test');
    expect((await patientStanding(db.pool, p)).preferredLanguage).toBe('en');
  });

  it('an older registration that arrives late does not replace a newer one (judged by its clinical time)', async () => {
    const p = 'p-late';
    await event(p, 'patient.registered', '2026-03-01T00:00:00Z', { birthDate: '1950-01-01', contact: { email: 'new@patients.test' } }, '2026-03-01T00:00:01Z');
    await event(p, 'patient.registered', '2026-01-01T00:00:00Z', { birthDate: '1950-01-01', contact: { email: 'stale@patients.test' } }, '2026-04-01T00:00:00Z');
    expect((await patientContact(db.pool, p)).email).toBe('new@patients.test');
  });
});
