import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from '@tandem/config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/**
 * The workflow a payload belongs to, beside the ciphertext (ids carry no PHI), so the codec server
 * can audit which pathway an operator decrypted: the codec protocol itself names none. From format 2
 * on it is authenticated (bound into AES-GCM's additional data): a payload re-labelled with another
 * workflow no longer decrypts.
 */
export const WORKFLOW_ID_METADATA = 'tandem-workflow-id';
/** The namespace a payload belongs to (format 2), authenticated like the workflow id. */
export const NAMESPACE_METADATA = 'tandem-namespace';
/** The payload format: absent in payloads sealed before it existed (format 1: no additional data). */
export const FORMAT_METADATA = 'tandem-codec-format';
export const CURRENT_FORMAT = '2';
/**
 * What a refused payload decodes to (a JSON object with this one key, whose value is the reason), so
 * the workflow can tell a refusal from data and record it as a problem instead of failing its task
 * for ever. workflows/src/signal-guard.ts recognises the same key (the workflow sandbox cannot import
 * this module; a workflow test checks the two agree).
 */
export const REFUSED_PAYLOAD_KEY = 'tandem:refused-payload';

/**
 * Why a payload was refused: not encrypted at all (a client without the codec: the Temporal CLI, a
 * script); its ciphertext or its labels do not authenticate (tampered, or moved from another
 * workflow); it belongs to another namespace; it is too short to be ciphertext.
 */
export type PayloadRefusalReason = 'unencrypted' | 'unauthenticated' | 'wrong-namespace' | 'truncated';
/** A refusal as reported to operations: ids only, never content. */
export interface PayloadRefusal {
  reason: PayloadRefusalReason;
  /** The workflow the SDK is decoding for, when it says. */
  workflowId?: string;
}

export interface PayloadCodecOptions {
  /** The namespace this codec serves: a payload bound to another one is refused. */
  namespace?: string;
  /**
   * What a payload that is encrypted but does not authenticate becomes: `throw` (the codec server,
   * clients: an error the caller sees) or `mark` (the worker: a refused marker, so a forged or moved
   * payload cannot wedge a workflow; its signal validation records it as a problem). A payload that
   * is not encrypted is always a refused marker; one sealed with a key this codec does not hold
   * always throws (a configuration to fix, not a payload to drop: the workflow task waits for it).
   */
  undecodable?: 'throw' | 'mark';
  /** Told of every refusal (the worker logs it); ids only. */
  onRefused?: (refusal: PayloadRefusal) => void;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/** Format 2's additional authenticated data: the key id, namespace and workflow id, unambiguously. */
function additionalData(keyId: string, namespace: string | undefined, workflowId: string | undefined): Buffer {
  return Buffer.from(JSON.stringify(['tandem-payload', CURRENT_FORMAT, keyId, namespace ?? null, workflowId ?? null]));
}

/** The payload a refusal decodes to: JSON, no content of the refused payload. */
export function refusedPayload(reason: PayloadRefusalReason): Payload {
  return { metadata: { encoding: utf8('json/plain') }, data: utf8(JSON.stringify({ [REFUSED_PAYLOAD_KEY]: reason })) };
}

/** The reason, if this decoded value is a refused payload's marker. */
export function refusalOf(value: unknown): PayloadRefusalReason | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, REFUSED_PAYLOAD_KEY)) return undefined;
  return (value as Record<string, PayloadRefusalReason>)[REFUSED_PAYLOAD_KEY];
}

class Refused extends Error {
  constructor(readonly reason: PayloadRefusalReason) {
    super(`payload refused: ${reason}`);
  }
}

/**
 * Encrypts every Temporal payload (workflow inputs, signals, activity results, memos, …) with
 * AES-256-GCM, so patient data never sits in plaintext in Temporal's history store, and binds it to
 * its namespace and workflow (format 2: both in the additional authenticated data and beside the
 * ciphertext), so it cannot be moved to another workflow or re-labelled. Payloads of format 1 (no
 * format metadata, no additional data) still decrypt. A payload that is not encrypted is refused
 * (see PayloadCodecOptions). The key id travels in the payload metadata: keys rotate by adding a new
 * current key and keeping old ones for decryption (TANDEM_PAYLOAD_OLD_KEYS).
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(
    private readonly current: PayloadKey,
    decryptionKeys: PayloadKey[] = [current],
    private readonly options: PayloadCodecOptions = {},
  ) {
    this.byId = new Map([...decryptionKeys, current].map((k) => [k.id, k.key]));
  }

  // async so that a failure rejects the promise instead of throwing synchronously at the caller.
  // eslint-disable-next-line @typescript-eslint/require-await
  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const workflowId = context?.workflowId;
    const namespace = context?.namespace ?? this.options.namespace;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      cipher.setAAD(additionalData(this.current.id, namespace, workflowId));
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: utf8(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: utf8(this.current.id),
          [FORMAT_METADATA]: utf8(CURRENT_FORMAT),
          ...(namespace ? { [NAMESPACE_METADATA]: utf8(namespace) } : {}),
          ...(workflowId ? { [WORKFLOW_ID_METADATA]: utf8(workflowId) } : {}),
        },
        data: sealed,
      };
    });
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return payloads.map((payload) => {
      try {
        return this.open(payload, context?.namespace ?? this.options.namespace);
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        this.options.onRefused?.({ reason: e.reason, ...(context?.workflowId ? { workflowId: context.workflowId } : {}) });
        if (e.reason === 'unencrypted' || this.options.undecodable === 'mark') return refusedPayload(e.reason);
        throw new ValueError(
          e.reason === 'wrong-namespace' ? 'Encrypted payload belongs to another namespace' : 'Encrypted payload could not be authenticated (tampered, truncated or re-labelled)',
        );
      }
    });
  }

  private open(payload: Payload, namespace: string | undefined): Payload {
    const meta = payload.metadata ?? {};
    if (text(meta.encoding) !== ENCRYPTED_ENCODING) throw new Refused('unencrypted');
    const keyId = text(meta[KEY_ID_METADATA]);
    const key = keyId ? this.byId.get(keyId) : undefined;
    if (!key) throw new ValueError(`No payload decryption key with id ${keyId ?? '(none)'}; add it to TANDEM_PAYLOAD_OLD_KEYS`);
    const format = text(meta[FORMAT_METADATA]);
    if (format !== undefined && format !== CURRENT_FORMAT) throw new Refused('unauthenticated');
    const boundNamespace = text(meta[NAMESPACE_METADATA]);
    if (format && boundNamespace && namespace && boundNamespace !== namespace) throw new Refused('wrong-namespace');
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Refused('truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    if (format) decipher.setAAD(additionalData(keyId!, boundNamespace, text(meta[WORKFLOW_ID_METADATA])));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new Refused('unauthenticated');
    }
  }
}

/** The workflow a payload is bound to, as its metadata says, and whether that label is authenticated (format 2). */
export interface PayloadBinding {
  workflowId: string;
  authenticated: boolean;
}

/**
 * The workflows named by these encrypted payloads' metadata (payloads encoded without a workflow name
 * none). A format-2 label is authenticated once the payload has decrypted; a format-1 label is not.
 */
export function workflowBindingsOf(payloads: readonly Payload[]): PayloadBinding[] {
  const seen = new Map<string, PayloadBinding>();
  for (const p of payloads) {
    if (text(p.metadata?.encoding) !== ENCRYPTED_ENCODING) continue;
    const workflowId = text(p.metadata?.[WORKFLOW_ID_METADATA]);
    if (!workflowId) continue;
    const authenticated = text(p.metadata?.[FORMAT_METADATA]) === CURRENT_FORMAT;
    const key = `${workflowId}\u0000${authenticated}`;
    if (!seen.has(key)) seen.set(key, { workflowId, authenticated });
  }
  return [...seen.values()];
}

/** The workflow ids named by these payloads' metadata (payloads encoded before it was added name none). */
export function workflowIdsOf(payloads: readonly Payload[]): string[] {
  return [...new Set(payloads.map((p) => text(p.metadata?.[WORKFLOW_ID_METADATA])).filter((id): id is string => !!id))];
}
