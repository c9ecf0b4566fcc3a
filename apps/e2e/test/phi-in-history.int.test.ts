import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '@tandem/temporal';

let sys: RunningTandem;
beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
});
afterAll(async () => {
  await sys?.stop();
});

describe('PHI in workflow history', () => {
  it('stores a contact sent in an event only encrypted in the Temporal history', async () => {
    const patientId = newPatientId();
    const phone = '+44 7700 900123';
    const email = 'jo.bloggs.unique@example.org';
    const registered = clinicalEvent('patient.registered', patientId, { birthDate: '1950-03-04', livesAlone: true, contact: { phone, email } });
    await sys.producer.send({ topic: sys.topics.in, messages: [{ key: patientId, value: JSON.stringify(registered) }] });

    const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(patientId));
    await waitFor(async () => (await handle.query(pathwayStateQuery)).eventsSeen === 1, { what: 'the workflow to receive the event' });

    // The raw history as the server stores it: no data converter applied.
    const raw = await sys.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: sys.config.temporal.namespace,
      execution: { workflowId: pathwayWorkflowId(patientId) },
    });
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(raw.history!).finish());
    expect(bytes.includes(Buffer.from(phone))).toBe(false);
    expect(bytes.includes(Buffer.from(email))).toBe(false);
    expect(bytes.includes(Buffer.from(registered.id))).toBe(false);

    const signalled = raw.history!.events!.find((e) => e.workflowExecutionSignaledEventAttributes)!;
    const [payload] = signalled.workflowExecutionSignaledEventAttributes!.input!.payloads!;
    expect(Buffer.from(payload!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);

    // …and the same bytes decrypt to the event with its contact, with the configured key.
    const codec = new AesGcmPayloadCodec(sys.config.payload.currentKey, sys.config.payload.decryptionKeys);
    const [decoded] = await codec.decode([payload!]);
    expect(Buffer.from(decoded!.data!).toString()).toContain(phone);
  });
});
