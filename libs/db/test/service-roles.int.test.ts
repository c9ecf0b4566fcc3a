import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseService } from '@tandem/config';
import { DATABASE_SERVICES, embeddedServiceUrl, SERVICE_ROLES } from '@tandem/config';

/**
 * Least privilege by grants (migration 012), proved on the real database: each service's role is
 * refused, with SQLSTATE 42501, every statement it must never run — whatever the triggers would do
 * — and may run the ones its work needs. Each statement runs in a transaction that is rolled back.
 */
const FORBIDDEN_FOR_ALL: Array<[string, string]> = [
  ['change an audit row', `UPDATE audit SET actor = 'someone-else'`],
  ['delete audit rows', `DELETE FROM audit`],
  ['truncate the audit', `TRUNCATE audit`],
  ['change a past event in the log', `UPDATE clinical_event SET source = 'rewritten'`],
  ['delete from the event log', `DELETE FROM clinical_event`],
  ['delete tasks', `DELETE FROM task`],
  ['create a table', `CREATE TABLE intruder (id int)`],
  ['drop a table', `DROP TABLE task`],
  ['alter a table', `ALTER TABLE task ADD COLUMN intruder int`],
  ['record a migration', `INSERT INTO schema_migration (name) VALUES ('999_intruder.sql')`],
];

const insertEvent = `INSERT INTO clinical_event (id, patient_id, type, time, source, envelope) VALUES ('grant-test', 'p', 'patient.dying', now(), 't', '{}')`;
const insertTask = `INSERT INTO task (idempotency_key, patient_id, workflow_id, command_id, type, queue, priority, due_at, reason_rule, reason_evidence)
  VALUES ('grant-test', 'p', 'w', 'c', 'symptom-review', 'coordination', 'soon', now(), '2.3.needs.severe-physical', '{}')`;
const insertAudit = `INSERT INTO audit (actor, action, status) VALUES ('grant-test', 'GET /x', 200)`;
const insertOutbox = `INSERT INTO outbox (idempotency_key, topic, patient_id, payload) VALUES ('grant-test', 'care-notifications', 'p', '{}')`;
const countHit = `INSERT INTO rate_limit_counter AS c (key, hits, resets_at) VALUES ('grant-test', 1, now() + interval '1 minute')
  ON CONFLICT (key) DO UPDATE SET hits = c.hits + 1 RETURNING hits, resets_at`;

const FORBIDDEN: Record<DatabaseService, Array<[string, string]>> = {
  api: [
    ['open a task', insertTask],
    ['change what a task is', `UPDATE task SET type = 'escalation'`],
    ['move a task to another patient', `UPDATE task SET patient_id = 'other'`],
    ['write to the event log', insertEvent],
    ['read the audit', `SELECT * FROM audit`],
    ['write the outbox', insertOutbox],
    ['run a pathway step', `SELECT tandem_carry_out('w', 'p', '[]'::jsonb)`],
  ],
  bridge: [
    ['count a rate-limit hit', countHit],
    ['read the audit', `SELECT * FROM audit`],
    ['write the audit', insertAudit],
    ['read what tasks are about', `SELECT patient_id, type, reason_evidence FROM task`],
    ['open a task', insertTask],
    ['read notifications', `SELECT * FROM notification`],
    ['change what the outbox holds', `UPDATE outbox SET payload = '{}'`],
    ['run a pathway step', `SELECT tandem_carry_out('w', 'p', '[]'::jsonb)`],
  ],
  worker: [
    ['count a rate-limit hit', countHit],
    ['read the audit', `SELECT * FROM audit`],
    ['write the audit', insertAudit],
    ['write to the event log', insertEvent],
    ['delete from the outbox', `DELETE FROM outbox`],
    ['read notifications', `SELECT * FROM notification`],
  ],
  notifier: [
    ['count a rate-limit hit', countHit],
    ['read the audit', `SELECT * FROM audit`],
    ['write the audit', insertAudit],
    ['open a task', insertTask],
    ['complete a task', `UPDATE task SET status = 'done'`],
    ['write to the event log', insertEvent],
    ['write the outbox', insertOutbox],
  ],
};

const ALLOWED: Record<DatabaseService, Array<[string, string]>> = {
  api: [
    ['read tasks', `SELECT id FROM task LIMIT 1`],
    ['claim and complete tasks', `UPDATE task SET status = 'claimed', claimed_by = 'x', claimed_at = now() WHERE false`],
    ['append to the audit', insertAudit],
    ['read the event log', `SELECT id FROM clinical_event LIMIT 1`],
    ['count a rate-limit hit', countHit],
    ['prune rate-limit windows that are over', `DELETE FROM rate_limit_counter WHERE resets_at <= now()`],
  ],
  bridge: [
    ['append to the event log', insertEvent],
    ['time event to task', `SELECT t.created_at, t.source_event_id FROM task t LIMIT 1`],
    ['relay the outbox', `UPDATE outbox SET sent_at = now() WHERE false`],
    ['prune the outbox', `DELETE FROM outbox WHERE false`],
  ],
  worker: [
    ['open a task', insertTask],
    ['write the outbox', insertOutbox],
    ['run a pathway step', `SELECT tandem_carry_out('grant-test', 'p', '[]'::jsonb)`],
  ],
  notifier: [
    [
      'record a notification',
      `INSERT INTO notification (id, patient_id, kind, recipient_role, created_at, payload) VALUES (gen_random_uuid(), 'p', 'prom-request', 'patient', now(), '{}')`,
    ],
    ['read the event log', `SELECT id FROM clinical_event LIMIT 1`],
  ],
};

const clients = {} as Record<DatabaseService, Client>;

beforeAll(async () => {
  for (const service of DATABASE_SERVICES) {
    clients[service] = new Client({ connectionString: embeddedServiceUrl(inject('databaseUrl'), service) });
    await clients[service].connect();
  }
});

afterAll(async () => {
  await Promise.all(Object.values(clients).map((c) => c.end()));
});

/** Runs a statement in a transaction that is always rolled back; its SQLSTATE when refused. */
async function attempt(client: Client, sql: string): Promise<string | undefined> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  } finally {
    await client.query('ROLLBACK');
  }
}

describe.each(DATABASE_SERVICES)('the %s role', (service) => {
  it('connects as its own role, not the owner, and is no superuser', async () => {
    const r = await clients[service].query<{ user: string; superuser: string }>(`SELECT current_user AS user, current_setting('is_superuser') AS superuser`);
    expect(r.rows[0]).toEqual({ user: SERVICE_ROLES[service], superuser: 'off' });
  });

  it.each([...FORBIDDEN_FOR_ALL, ...FORBIDDEN[service]])('may not %s', async (_what, sql) => {
    expect(await attempt(clients[service], sql)).toBe('42501');
  });

  it.each(ALLOWED[service])('may %s', async (_what, sql) => {
    expect(await attempt(clients[service], sql)).toBeUndefined();
  });
});
