import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from '@tandem/config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/**
 * The workflow a payload belongs to, beside the ciphertext (ids carry no PHI), so the codec server
 * can audit which pathway an operator decrypted: the codec protocol itself names none.
 */
export const WORKFLOW_ID_METADATA = 'tandem-workflow-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/**
 * Encrypts every Temporal payload (workflow inputs, signals, activity results, memos, …) with
 * AES-256-GCM, so patient data never sits in plaintext in Temporal's history store.
 * The key id travels in the payload metadata: keys rotate by adding a new current key and
 * keeping old ones for decryption (TANDEM_PAYLOAD_OLD_KEYS).
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(
    private readonly current: PayloadKey,
    decryptionKeys: PayloadKey[] = [current],
  ) {
    this.byId = new Map([...decryptionKeys, current].map((k) => [k.id, k.key]));
  }

  // async so that a failure rejects the promise instead of throwing synchronously at the caller.
  // eslint-disable-next-line @typescript-eslint/require-await
  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const workflowId = context?.workflowId;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: utf8(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: utf8(this.current.id),
          ...(workflowId ? { [WORKFLOW_ID_METADATA]: utf8(workflowId) } : {}),
        },
        data: sealed,
      };
    });
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      const key = keyId ? this.byId.get(keyId) : undefined;
      if (!key) throw new ValueError(`No payload decryption key with id ${keyId ?? '(none)'}; add it to TANDEM_PAYLOAD_OLD_KEYS`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('Encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The workflow ids named by these payloads' metadata (payloads encoded before it was added name none). */
export function workflowIdsOf(payloads: readonly Payload[]): string[] {
  return [...new Set(payloads.map((p) => text(p.metadata?.[WORKFLOW_ID_METADATA])).filter((id): id is string => !!id))];
}
