import { createCipheriv, randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import type { PayloadRefusal } from '../src';
import {
  AesGcmPayloadCodec,
  CURRENT_FORMAT,
  ENCRYPTED_ENCODING,
  FORMAT_METADATA,
  KEY_ID_METADATA,
  NAMESPACE_METADATA,
  refusalOf,
  WORKFLOW_ID_METADATA,
  workflowBindingsOf,
  workflowIdsOf,
} from '../src';

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

  it('refuses a payload that was never encrypted: it decodes to a refused marker, never to its content', async () => {
    const refusals: PayloadRefusal[] = [];
    const codec = new AesGcmPayloadCodec(key('k1'), undefined, { onRefused: (r) => refusals.push(r) });
    const [opened] = await codec.decode([payload({ pain: 999 })], { type: 'workflow', namespace: 'default', workflowId: 'pathway-p1' });
    const value = defaultPayloadConverter.fromPayload(opened!);
    expect(refusalOf(value)).toBe('unencrypted');
    expect(JSON.stringify(value)).not.toContain('999');
    expect(refusals).toEqual([{ reason: 'unencrypted', workflowId: 'pathway-p1' }]);
    expect(refusalOf({ pain: 999 })).toBeUndefined();
  });
});

/** A payload as the codec sealed it before format 2: no format metadata, no additional data. */
function sealFormat1(k: { id: string; key: Buffer }, p: Payload, workflowId?: string): Payload {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv);
  const plain = temporal.api.common.v1.Payload.encode(p).finish();
  const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return {
    metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(k.id), ...(workflowId ? { [WORKFLOW_ID_METADATA]: utf8(workflowId) } : {}) },
    data,
  };
}

const relabel = (p: Payload, name: string, value: string | undefined): Payload => {
  const metadata = { ...p.metadata };
  if (value === undefined) delete metadata[name];
  else metadata[name] = new TextEncoder().encode(value);
  return { ...p, metadata };
};

describe('AesGcmPayloadCodec format 2: a payload is bound to its namespace and workflow', () => {
  const ofP1 = { type: 'workflow', namespace: 'default', workflowId: 'pathway-p1' } as const;

  it('seals with the format, namespace and workflow beside the ciphertext', async () => {
    const [sealed] = await new AesGcmPayloadCodec(key('k1')).encode([payload(secret)], ofP1);
    const meta = (name: string) => Buffer.from(sealed!.metadata![name]!).toString();
    expect([meta(FORMAT_METADATA), meta(NAMESPACE_METADATA), meta(WORKFLOW_ID_METADATA)]).toEqual([CURRENT_FORMAT, 'default', 'pathway-p1']);
    expect(workflowBindingsOf([sealed!])).toEqual([{ workflowId: 'pathway-p1', authenticated: true }]);
  });

  it('does not decrypt a payload re-labelled with another workflow, another namespace, or no label', async () => {
    const codec = new AesGcmPayloadCodec(key('k1'));
    const [sealed] = await codec.encode([payload(secret)], ofP1);
    for (const moved of [
      relabel(sealed!, WORKFLOW_ID_METADATA, 'pathway-p2'),
      relabel(sealed!, WORKFLOW_ID_METADATA, undefined),
      relabel(sealed!, NAMESPACE_METADATA, 'elsewhere'),
      relabel(sealed!, KEY_ID_METADATA, 'k1 '),
    ])
      await expect(codec.decode([moved])).rejects.toThrow(/could not be authenticated|key with id/);
  });

  it('cannot be downgraded to format 1 (no additional data) by removing its format', async () => {
    const codec = new AesGcmPayloadCodec(key('k1'));
    const [sealed] = await codec.encode([payload(secret)], ofP1);
    await expect(codec.decode([relabel(sealed!, FORMAT_METADATA, undefined)])).rejects.toThrow(/could not be authenticated/);
  });

  it('refuses a payload bound to another namespace than the one it serves', async () => {
    const k = key('k1');
    const [sealed] = await new AesGcmPayloadCodec(k).encode([payload(secret)], { ...ofP1, namespace: 'other' });
    await expect(new AesGcmPayloadCodec(k, [k], { namespace: 'default' }).decode([sealed!])).rejects.toThrow(/another namespace/);
    expect(defaultPayloadConverter.fromPayload((await new AesGcmPayloadCodec(k, [k], { namespace: 'other' }).decode([sealed!]))[0]!)).toEqual(secret);
  });

  it('still decrypts payloads sealed before format 2, whose label is reported as unverified', async () => {
    const k = key('k1');
    const old = sealFormat1(k, payload(secret), 'pathway-p1');
    const [opened] = await new AesGcmPayloadCodec(k, [k], { namespace: 'default' }).decode([old], ofP1);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
    expect(workflowBindingsOf([old])).toEqual([{ workflowId: 'pathway-p1', authenticated: false }]);
    expect(workflowIdsOf([old])).toEqual(['pathway-p1']);
  });

  it("in the worker's mode, a forged or moved payload becomes a refused marker (never wedges a workflow); an unknown key still throws", async () => {
    const k = key('k1');
    const refusals: PayloadRefusal[] = [];
    const worker = new AesGcmPayloadCodec(k, [k], { namespace: 'default', undecodable: 'mark', onRefused: (r) => refusals.push(r) });
    const [sealed] = await worker.encode([payload(secret)], ofP1);
    const tampered = Buffer.from(sealed!.data!);
    tampered[20] = tampered[20]! ^ 0xff;
    const opened = await worker.decode(
      [relabel(sealed!, WORKFLOW_ID_METADATA, 'pathway-p2'), { ...sealed!, data: tampered }, { ...sealed!, data: new Uint8Array(3) }],
      { ...ofP1, workflowId: 'pathway-p2' },
    );
    expect(opened.map((p) => refusalOf(defaultPayloadConverter.fromPayload(p)))).toEqual(['unauthenticated', 'unauthenticated', 'truncated']);
    expect(refusals.map((r) => r.reason)).toEqual(['unauthenticated', 'unauthenticated', 'truncated']);
    const [elsewhere] = await new AesGcmPayloadCodec(k).encode([payload(secret)], { ...ofP1, namespace: 'other' });
    expect(refusalOf(defaultPayloadConverter.fromPayload((await worker.decode([elsewhere!]))[0]!))).toBe('wrong-namespace');
    const [unknownKey] = await new AesGcmPayloadCodec(key('gone')).encode([payload(secret)], ofP1);
    await expect(worker.decode([unknownKey!])).rejects.toThrow(/key with id gone/);
  });
});
