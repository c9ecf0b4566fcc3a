import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ServiceProcess } from '@tandem/testing';
import { advancedDiagnosis, clinicalEvent, newPatientId, spawnService, waitFor, databaseEnv } from '@tandem/testing';
import { MAIL_SMTP_URL } from '@tandem/infra/mail';
import { caughtMail, mailFor } from '../src/mailbox';
import { collectTopic } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The notifier as `npm start` runs it (its own process), on real Kafka, PostgreSQL and a real SMTP
 * server (the local mail catcher), with a real HTTP server as the SMS gateway: every notification is
 * delivered once across a restart and a SIGKILL; a failing channel retries and then delivers, or parks
 * with its reason; nothing reaches a patient after their death, whatever the outbox still holds.
 */
let sys: RunningTandem;
let databaseUrl: string;
let notifier: ServiceProcess | undefined;
let notifierRunning = false;
let gateway: Server;
let gatewayUrl: string;
let topic: Awaited<ReturnType<typeof collectTopic>>;
const texts: Array<{ to: string; id: string }> = [];
/** The gateway's answers by phone number: a list of statuses to give in turn (the last one repeats). */
const answers = new Map<string, number[]>();
const group = `notifier-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  databaseUrl = inject('databaseUrl');
  sys = await startTandem({ databaseUrl });
  topic = await collectTopic(sys.kafka, sys.topics.notifications, `${group}-probe`);
  gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const m = JSON.parse(body) as { id: string; to: string };
      const plan = answers.get(m.to) ?? [200];
      const status = plan.length > 1 ? plan.shift()! : plan[0]!;
      if (status < 300) texts.push({ to: m.to, id: m.id });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
}, 120_000);

afterAll(async () => {
  await notifier?.stop();
  await topic?.stop();
  await new Promise((r) => gateway?.close(r));
  await sys?.stop();
});

/** A policy with no quiet hours, so the test means the same at any time of day (quiet hours are unit-tested). */
function policyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tandem-notifier-')), 'policy.yaml');
  writeFileSync(file, "patientContact:\n  quietHours: { from: '00:00', to: '00:00' }\n");
  return file;
}
const POLICY = policyFile();

function startNotifier(): ServiceProcess {
  const p = spawnService(
    'apps/notifier/src/main.ts',
    {
      ...databaseEnv(databaseUrl),
      TANDEM_TOPIC_SUFFIX: sys.config.kafka.topicSuffix,
      TANDEM_NOTIFIER_GROUP: group,
      TANDEM_SMTP_URL: MAIL_SMTP_URL,
      TANDEM_SMS_WEBHOOK_URL: gatewayUrl,
      TANDEM_POLICY: POLICY,
      TANDEM_NOTIFIER_ATTEMPTS: '3',
      TANDEM_NOTIFIER_BACKOFF_MS: '300',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'info',
    },
    /delivering care-notifications/,
  );
  notifier = p;
  notifierRunning = true;
  void p.exited.then(() => {
    if (notifier === p) notifierRunning = false;
  });
  return p;
}

/** The notifier the test before started, or a new one (each test can also run alone). */
async function runningNotifier(): Promise<void> {
  if (!notifierRunning) await startNotifier().ready;
}

const send = (patientId: string, ...events: object[]) =>
  sys.producer.send({ topic: sys.topics.in, messages: events.map((e) => ({ key: patientId, value: JSON.stringify(e) })) });

async function enrol(prefix: string, contact: Record<string, string>): Promise<string> {
  const patientId = newPatientId(prefix);
  await send(patientId, clinicalEvent('patient.registered', patientId, { birthDate: '1948-05-06', contact }), advancedDiagnosis(patientId));
  return patientId;
}

/** The notification ids queued for these patients, as the relay published them. */
const published = (patients: string[]) =>
  topic.messages.map((m) => JSON.parse(m.value!.toString()) as { id: string; patientId: string }).filter((n) => patients.includes(n.patientId));

type Row = { id: string; status: string; channel: string; attempts: number; why: string | null; delivered_to: string | null };
async function deliveries(patients: string[]): Promise<Row[]> {
  const r = await sys.pool.query<Row>(
    `SELECT n.id, d.status, d.channel, d.attempts, d.why, d.delivered_to FROM notification n JOIN notification_delivery d ON d.notification_id = n.id
      WHERE n.patient_id = ANY($1) ORDER BY n.id, d.channel`,
    [patients],
  );
  return r.rows;
}

/** Waits until every notification published for these patients is recorded and none is still to send. */
async function settled(patients: string[], what: string): Promise<Row[]> {
  return waitFor(
    async () => {
      const ids = new Set(published(patients).map((n) => n.id));
      const rows = await deliveries(patients);
      const recorded = new Set(rows.map((r) => r.id));
      return ids.size > 0 && [...ids].every((id) => recorded.has(id)) && rows.every((r) => r.status !== 'pending' && r.status !== 'sending') && rows;
    },
    { timeoutMs: 45_000, intervalMs: 250, what },
  );
}

describe('the notifier', () => {
  it('delivers every notification once, by the channels the policy gives, across a restart and a SIGKILL', async () => {
    await startNotifier().ready;
    const first = [await enrol('ntf-a', { email: 'a@patients.test' }), await enrol('ntf-b', { email: 'b@patients.test' })];
    const rows1 = await settled(first, 'the first patients’ notifications delivered');
    // The patient's questionnaire by e-mail (no phone), the GP's update by e-mail, staff reminders in the console too.
    expect(rows1.filter((r) => r.channel === 'email').every((r) => r.status === 'delivered')).toBe(true);
    expect(rows1.map((r) => r.delivered_to)).toEqual(expect.arrayContaining(["the patient's e-mail", 'the GP practice (default address)']));

    await notifier!.stop(); // a restart
    await startNotifier().ready;
    const second = [await enrol('ntf-c', { email: 'c@patients.test' })];
    await settled(second, 'notifications after a restart delivered');

    await notifier!.kill(); // SIGKILL: offsets not committed since the last commit are read again
    const third = [await enrol('ntf-d', { email: 'd@patients.test' }), await enrol('ntf-e', { email: 'e@patients.test' })];
    await startNotifier().ready;
    const all = [...first, ...second, ...third];
    const rows = await settled(all, 'notifications queued while the notifier was down delivered');

    const ids = [...new Set(published(all).map((n) => n.id))];
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
    const mail = await caughtMail();
    for (const r of rows.filter((x) => x.channel === 'email')) expect(mailFor(mail, r.id), `mail for notification ${r.id}`).toHaveLength(1);
    // The patient's e-mail carries their link and no patient id; the staff e-mail names the patient.
    const request = published([third[0]!]).find((n) => (n as { kind?: string }).kind === 'prom-request') as { id: string; link: string; patientId: string };
    const toPatient = mailFor(mail, request.id)[0]!;
    expect(toPatient.to[0]!.address).toBe('d@patients.test');
    expect(toPatient.text).toContain(request.link);
    expect(`${toPatient.subject} ${toPatient.text}`).not.toContain(request.patientId);
    // Nothing of a patient in the notifier's own log lines.
    for (const line of notifier!.output) for (const p of all) expect(line).not.toContain(p);
  }, 150_000);

  it('retries a failing SMS gateway with backoff until it takes the message, and parks one it refuses, with the reason', async () => {
    await runningNotifier();
    answers.set('+440000000001', [503, 503, 200]);
    answers.set('+440000000002', [400]);
    const flaky = await enrol('ntf-sms1', { phone: '+440000000001', email: 'x@patients.test' });
    const refused = await enrol('ntf-sms2', { phone: '+440000000002' });
    const rows = await settled([flaky, refused], 'the text messages delivered or parked');
    const sms = (p: string) => rows.filter((r) => r.channel === 'sms' && published([p]).some((n) => n.id === r.id));
    // The questionnaire went by SMS (first in the policy's list for a patient), not also by e-mail.
    expect(sms(flaky)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 3, delivered_to: "the patient's phone" })]);
    expect(
      rows.filter((r) => r.channel === 'email' && published([flaky]).some((n) => n.id === r.id && (n as { kind?: string }).kind === 'prom-request')),
    ).toEqual([]);
    expect(sms(refused)).toEqual([expect.objectContaining({ status: 'parked', attempts: 1, why: 'the SMS gateway answered HTTP 400' })]);

    // Parked is visible to operators, and a retry once fixed delivers it.
    const admin = await sys.token(['admin'], 'ops-admin');
    const parked = (await (await fetch(`${sys.apiUrl}/api/v1/notifications?status=parked`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
      items: Array<{ id: string; patientId: string; deliveries: Array<{ why?: string }> }>;
    };
    const mine = parked.items.find((n) => n.patientId === refused)!;
    expect(mine.deliveries[0]!.why).toBe('the SMS gateway answered HTTP 400');
    answers.set('+440000000002', [200]);
    const retried = await fetch(`${sys.apiUrl}/api/v1/notifications/${mine.id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(retried.status).toBe(200);
    await waitFor(async () => (await deliveries([refused])).some((r) => r.id === mine.id && r.status === 'delivered'), {
      timeoutMs: 20_000,
      what: 'the retried text delivered',
    });
    expect(texts.filter((t) => t.id === mine.id)).toHaveLength(1);
  }, 120_000);

  it('drops a request to a patient who has died, even when the outbox still holds one, and says why', async () => {
    await runningNotifier();
    const patientId = await enrol('ntf-died', { email: 'died@patients.test' });
    await settled([patientId], 'the enrolment notifications delivered');
    await send(patientId, clinicalEvent('patient.died', patientId, { placeOfDeath: 'hospice' }));
    await waitFor(
      async () => (await sys.pool.query(`SELECT 1 FROM clinical_event WHERE patient_id = $1 AND type = 'patient.died'`, [patientId])).rowCount === 1,
      { timeoutMs: 20_000, what: 'the death accepted' },
    );
    // A prom-request the outbox still held (queued before the death was known), relayed now.
    const id = randomUUID();
    await sys.pool.query(`INSERT INTO outbox (id, idempotency_key, topic, patient_id, payload) VALUES ($4, $1, 'care-notifications', $2, $3)`, [
      `test/${id}`,
      patientId,
      JSON.stringify({
        id,
        patientId,
        kind: 'prom-request',
        recipient: { role: 'patient' },
        channel: 'app',
        text: 'Please complete your symptom questionnaire.',
        createdAt: new Date().toISOString(),
        reason: { rule: '2.2.proms.schedule', evidence: { requestId: `${patientId}-prom-9` } },
        link: `${sys.config.publicUrl}/p/stale`,
      }),
      id,
    ]);
    const row = await waitFor(
      async () =>
        (await sys.pool.query<{ dropped_why: string | null }>(`SELECT dropped_why FROM notification WHERE id = $1`, [id])).rows[0]?.dropped_why ?? undefined,
      { timeoutMs: 30_000, what: 'the stale request dropped' },
    );
    expect(row).toBe('not delivered: the patient has died');
    expect(mailFor(await caughtMail(), id)).toEqual([]);
    expect(notifier!.output.some((l) => l.includes('notification dropped') && l.includes(id))).toBe(true);
  }, 90_000);

  it('shows a clinician reminder in the reminders view of the key worker named for the patient, and mails it to them', async () => {
    await runningNotifier();
    const patientId = await enrol('ntf-kw', { email: 'kw@patients.test' });
    const coordinator = await sys.token(['coordinator'], 'coordinator-1');
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${sys.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${coordinator}`, 'content-type': 'application/json' } });
    const task = await waitFor(
      async () =>
        ((await (await call(`/api/v1/tasks?queue=coordination&patientId=${patientId}`)).json()) as { items: Array<{ id: string; type: string }> }).items.find(
          (t) => t.type === 'assign-key-worker',
        ),
      { timeoutMs: 20_000, what: 'the key-worker task' },
    );
    expect((await call(`/api/v1/tasks/${task.id}/claim`, { method: 'POST' })).status).toBe(200);
    expect((await call(`/api/v1/tasks/${task.id}/complete`, { method: 'POST', body: JSON.stringify({ outcome: 'assigned' }) })).status).toBe(200);
    await send(patientId, clinicalEvent('encounter.admitted', patientId, { encounterId: 'enc-kw', setting: 'emergency' }));
    const reminder = await waitFor(
      async () =>
        ((await (await call('/api/v1/reminders')).json()) as { items: Array<{ id: string; patientId: string; recipient: { role: string } }> }).items.find(
          (n) => n.patientId === patientId && n.recipient.role === 'key-worker',
        ),
      { timeoutMs: 30_000, what: "the admission reminder in the key worker's reminders" },
    );
    const mail = await waitFor(async () => mailFor(await caughtMail(), reminder.id)[0], { timeoutMs: 20_000, what: 'the reminder e-mail' });
    expect(mail.to[0]!.address).toBe('coordinator-1@tandem.local');
    expect(mail.text).toContain(`Patient: ${patientId}`);
    // Someone else's reminders do not include it.
    const other = await sys.token(['coordinator'], 'coordinator-2');
    const theirs = (await (await fetch(`${sys.apiUrl}/api/v1/reminders`, { headers: { authorization: `Bearer ${other}` } })).json()) as {
      items: Array<{ id: string }>;
    };
    expect(theirs.items.map((n) => n.id)).not.toContain(reminder.id);
  }, 90_000);
});
