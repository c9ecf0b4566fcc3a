import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, WORKFLOW_ID_METADATA, workflowIdsOf } from '../src';

const key = (id: string) => ({ id, key: randomBytes(32) });
const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const secret = { contact: { phone: '+44 7700 900456' } };

describe('AesGcmPayloadCodec', () => {
  it('encrypts with the current key id in the metadata and decrypts back to the same payload', async () => {
    const k = key('k1');
    const codec = new AesGcmPayloadCodec(k);
    const [sealed] = await codec.encode([payload(secret)]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.metadata![KEY_ID_METADATA]!).toString()).toBe('k1');
    expect(Buffer.from(sealed!.data!).includes(Buffer.from('7700'))).toBe(false);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
  });

  it('names the workflow a payload belongs to beside the ciphertext, when the SDK says which', async () => {
    const codec = new AesGcmPayloadCodec(key('k1'));
    const [ofWorkflow] = await codec.encode([payload(secret)], { type: 'workflow', namespace: 'default', workflowId: 'pathway-p1' });
    const [ofActivity] = await codec.encode([payload(secret)], { type: 'activity', namespace: 'default', workflowId: 'pathway-p2', isLocal: true });
    const [unnamed] = await codec.encode([payload(secret)]);
    expect(Buffer.from(ofWorkflow!.metadata![WORKFLOW_ID_METADATA]!).toString()).toBe('pathway-p1');
    expect(unnamed!.metadata![WORKFLOW_ID_METADATA]).toBeUndefined();
    expect(workflowIdsOf([ofWorkflow!, ofActivity!, unnamed!, ofWorkflow!])).toEqual(['pathway-p1', 'pathway-p2']);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([ofWorkflow!]))[0]!)).toEqual(secret);
  });

  it('uses a fresh IV each time, so equal payloads encrypt differently', async () => {
    const codec = new AesGcmPayloadCodec(key('k1'));
    const [a, b] = await codec.encode([payload(secret), payload(secret)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('decrypts payloads sealed with an older key after rotation, and seals new ones with the new key', async () => {
    const old = key('2025-01');
    const next = key('2026-01');
    const [sealedOld] = await new AesGcmPayloadCodec(old).encode([payload(secret)]);
    const rotated = new AesGcmPayloadCodec(next, [next, old]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([sealedOld!]))[0]!)).toEqual(secret);
    const [sealedNew] = await rotated.encode([payload(1)]);
    expect(Buffer.from(sealedNew!.metadata![KEY_ID_METADATA]!).toString()).toBe('2026-01');
  });

  it('refuses a payload whose key it does not hold, naming the key id but no content', async () => {
    const [sealed] = await new AesGcmPayloadCodec(key('gone')).encode([payload(secret)]);
    await expect(new AesGcmPayloadCodec(key('other')).decode([sealed!])).rejects.toThrow(/key with id gone/);
  });

  it('detects tampering (GCM authentication)', async () => {
    const codec = new AesGcmPayloadCodec(key('k1'));
    const [mine] = await codec.encode([payload(secret)]);
    const data = Buffer.from(mine!.data!);
    data[20] = data[20]! ^ 0xff;
    await expect(codec.decode([{ ...mine!, data }])).rejects.toThrow(/authenticate/);
  });

  it('passes through payloads that were never encrypted (e.g. written before encryption was enabled)', async () => {
    const plain = payload({ a: 1 });
    expect(await new AesGcmPayloadCodec(key('k1')).decode([plain])).toEqual([plain]);
  });
});
