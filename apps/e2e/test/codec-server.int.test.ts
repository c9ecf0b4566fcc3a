import { createCipheriv, randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENCRYPTED_ENCODING, REFUSED_PAYLOAD_KEY, WORKFLOW_ID_METADATA } from '@tandem/temporal';
import { clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The Temporal codec-server protocol against real payloads from a pathway's history: decrypted
 * for this machine in development, for an admin's token only in production mode, each decode
 * audited with the workflow it opened; CORS for the Temporal UI's origin only.
 */
type Payload = temporal.api.common.v1.IPayload;
/** A payload as the codec sealed it before format 2 (no format, no additional data): what older histories hold. */
function sealedBeforeFormat2(sys: RunningTandem, value: unknown, workflowId: string): Payload {
  const k = sys.config.payload.currentKey;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv);
  const plain = temporal.api.common.v1.Payload.encode({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) }).finish();
  return {
    metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), 'encryption-key-id': Buffer.from(k.id), [WORKFLOW_ID_METADATA]: Buffer.from(workflowId) },
    data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
  };
}
const b64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('base64');
const toJson = (p: Payload) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(p.data) });
const text = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString();

/** A registered patient's pathway, and the encrypted payload of its first signal as Temporal stores it. */
async function storedSignal(sys: RunningTandem): Promise<{ patientId: string; event: ReturnType<typeof clinicalEvent>; payload: Payload }> {
  const patientId = newPatientId('codec');
  const event = clinicalEvent('patient.registered', patientId, { birthDate: '1951-07-08', livesAlone: false });
  await sys.producer.send({ topic: sys.topics.in, messages: [{ key: patientId, value: JSON.stringify(event) }] });
  const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(patientId));
  await waitFor(async () => (await handle.query(pathwayStateQuery).catch(() => undefined))?.eventsSeen === 1, {
    what: 'the pathway to take the event',
    timeoutMs: 30_000,
  });
  const raw = await sys.temporal.workflowService.getWorkflowExecutionHistory({
    namespace: sys.config.temporal.namespace,
    execution: { workflowId: pathwayWorkflowId(patientId) },
  });
  const signalled = raw.history!.events!.find((e) => e.workflowExecutionSignaledEventAttributes)!;
  return { patientId, event, payload: signalled.workflowExecutionSignaledEventAttributes!.input!.payloads![0]! };
}

const post = (sys: RunningTandem, op: 'decode' | 'encode', payloads: unknown[], headers: Record<string, string> = {}) =>
  fetch(`${sys.apiUrl}/api/codec/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': sys.config.temporal.namespace, ...headers },
    body: JSON.stringify({ payloads }),
  });

describe('the codec server in development (this machine only)', () => {
  let sys: RunningTandem;
  beforeAll(async () => {
    sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('decrypts a pathway signal from the history into the clinical event, and audits which workflow', async () => {
    const { patientId, event, payload } = await storedSignal(sys);
    expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(payload.metadata![WORKFLOW_ID_METADATA]!).toString()).toBe(pathwayWorkflowId(patientId));
    const res = await post(sys, 'decode', [toJson(payload)]);
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(text(payloads[0]!.metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(text(payloads[0]!.data))).toMatchObject({ id: event.id, subject: patientId, type: 'patient.registered' });
    const audit = await sys.pool.query(`SELECT actor, patient_id, resource FROM audit WHERE action = 'POST /api/codec/decode' AND resource = $1`, [
      pathwayWorkflowId(patientId),
    ]);
    expect(audit.rows).toEqual([{ actor: 'loopback', patient_id: patientId, resource: pathwayWorkflowId(patientId) }]);
  });

  it('finding 7: a payload re-labelled with another patient’s workflow does not decode, and no audit row names that patient', async () => {
    const { patientId, payload } = await storedSignal(sys);
    const other = newPatientId('codec-other');
    const relabelled = { ...payload, metadata: { ...payload.metadata, [WORKFLOW_ID_METADATA]: Buffer.from(pathwayWorkflowId(other)) } };
    const res = await post(sys, 'decode', [toJson(relabelled)]);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ error: 'undecodable' });
    expect(JSON.stringify(body)).not.toContain(patientId);
    const named = await sys.pool.query(`SELECT 1 FROM audit WHERE action = 'POST /api/codec/decode' AND (patient_id = $1 OR resource LIKE $2)`, [
      other,
      `%${other}%`,
    ]);
    expect(named.rowCount).toBe(0);
  });

  it('still decodes a payload sealed before format 2, and audits its label as unverified', async () => {
    const patientId = newPatientId('codec-old');
    const old = sealedBeforeFormat2(sys, { hello: 'format 1' }, pathwayWorkflowId(patientId));
    const res = await post(sys, 'decode', [toJson(old)]);
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: Array<{ data: string }> };
    expect(JSON.parse(text(payloads[0]!.data))).toEqual({ hello: 'format 1' });
    const audit = await sys.pool.query(`SELECT resource FROM audit WHERE action = 'POST /api/codec/decode' AND resource LIKE $1`, [`${pathwayWorkflowId(patientId)}%`]);
    expect(audit.rows).toEqual([{ resource: `${pathwayWorkflowId(patientId)} (unverified label: payload sealed before format 2)` }]);
  });

  it('answers an unencrypted payload with the refused marker, never its content, and audits nothing', async () => {
    const plain = { metadata: { encoding: b64(Buffer.from('json/plain')) }, data: b64(Buffer.from('{"pain":999}')) };
    const res = await post(sys, 'decode', [plain]);
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: Array<{ data: string }> };
    expect(JSON.parse(text(payloads[0]!.data))).toEqual({ [REFUSED_PAYLOAD_KEY]: 'unencrypted' });
  });

  it('encodes with the current key, and decodes that back', async () => {
    const plain = { metadata: { encoding: b64(Buffer.from('json/plain')) }, data: b64(Buffer.from('{"hello":"codec"}')) };
    const encoded = (await (await post(sys, 'encode', [plain])).json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(text(encoded.payloads[0]!.metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.payloads[0]!.data)).not.toContain('hello');
    const decoded = (await (await post(sys, 'decode', encoded.payloads)).json()) as { payloads: Array<{ data: string }> };
    expect(text(decoded.payloads[0]!.data)).toBe('{"hello":"codec"}');
  });

  it('refuses another namespace and ciphertext it cannot open', async () => {
    expect((await post(sys, 'decode', [], { 'x-namespace': 'someone-elses' })).status).toBe(400);
    const forged = {
      metadata: { encoding: b64(Buffer.from(ENCRYPTED_ENCODING)), 'encryption-key-id': b64(Buffer.from(sys.config.payload.currentKey.id)) },
      data: b64(Buffer.alloc(40, 7)),
    };
    const res = await post(sys, 'decode', [forged]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'undecodable' });
  });

  it('lets the Temporal UI’s origin call it (CORS preflight), and no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${sys.apiUrl}/api/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const ui = await preflight('http://127.0.0.1:8233');
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(ui.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const other = await preflight('https://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the codec server in production mode (TANDEM_CODEC_AUTH=token)', () => {
  let sys: RunningTandem;
  beforeAll(async () => {
    sys = await startTandem({ databaseUrl: inject('databaseUrl'), env: { TANDEM_CODEC_AUTH: 'token' } });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('refuses a decode without a token (401) and for a role other than admin (403); decodes for an admin and audits who', async () => {
    const { patientId, payload } = await storedSignal(sys);
    const unauthenticated = await post(sys, 'decode', [toJson(payload)]);
    expect(unauthenticated.status).toBe(401);
    expect(JSON.stringify(await unauthenticated.json())).not.toContain(patientId);
    const coordinator = await post(sys, 'decode', [toJson(payload)], { authorization: `Bearer ${await sys.token(['coordinator'], 'coord-codec')}` });
    expect(coordinator.status).toBe(403);
    const admin = await post(sys, 'decode', [toJson(payload)], { authorization: `Bearer ${await sys.token(['admin'], 'admin-codec')}` });
    expect(admin.status).toBe(200);
    const audit = await sys.pool.query(`SELECT actor, roles, patient_id FROM audit WHERE action = 'POST /api/codec/decode' AND resource = $1`, [
      pathwayWorkflowId(patientId),
    ]);
    expect(audit.rows).toEqual([{ actor: 'admin-codec', roles: ['admin'], patient_id: patientId }]);
  });
});
