import { z } from 'zod';
import type { Payload } from '@temporalio/common';

/** Protobuf JSON's bytes: base64, standard or URL-safe alphabet, padding optional. */
const bytes = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');

/** A `temporal.api.common.v1.Payload` in protobuf JSON: the codec-server protocol's wire form. */
const payloadJson = z.strictObject({ metadata: z.record(z.string().max(256), bytes).optional(), data: bytes.optional() });

/** `temporal.api.common.v1.Payloads` in protobuf JSON: the body and the answer of /encode and /decode. */
export const payloadsSchema = z.strictObject({ payloads: z.array(payloadJson).max(10_000) });
export type PayloadsJson = z.infer<typeof payloadsSchema>;

const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64'));
const toBase64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export function fromJson(body: PayloadsJson): Payload[] {
  return body.payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, fromBase64(v)])),
    data: fromBase64(p.data ?? ''),
  }));
}

export function toJson(payloads: readonly Payload[]): PayloadsJson {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, toBase64(v ?? new Uint8Array())])),
      data: toBase64(p.data ?? new Uint8Array()),
    })),
  };
}
