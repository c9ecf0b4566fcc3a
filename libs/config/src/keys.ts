import { z } from 'zod';

export interface PayloadKey {
  id: string;
  /** 32 bytes for AES-256-GCM. */
  key: Buffer;
}

const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses `<keyId>:<base64 of 32 bytes>`; the message never echoes the key material. */
export function parsePayloadKey(spec: string, setting: string): PayloadKey {
  const sep = spec.indexOf(':');
  if (sep <= 0) throw new Error(`${setting}: expected <keyId>:<base64 of 32 bytes>`);
  const id = spec.slice(0, sep);
  if (!keyIdPattern.test(id)) throw new Error(`${setting}: key id must match ${keyIdPattern.source}`);
  const material = spec.slice(sep + 1);
  const parsed = z.base64().safeParse(material);
  if (!parsed.success) throw new Error(`${setting}: key material is not base64`);
  const key = Buffer.from(material, 'base64');
  if (key.length !== 32) throw new Error(`${setting}: key must be 32 bytes (AES-256), got ${key.length}`);
  return { id, key };
}

export function parsePayloadKeyList(spec: string | undefined, setting: string): PayloadKey[] {
  if (!spec) return [];
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => parsePayloadKey(s, setting));
}
