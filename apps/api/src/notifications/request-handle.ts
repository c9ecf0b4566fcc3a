import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { TandemConfig } from '@tandem/config';

/**
 * The handle a PROM request goes by in URLs (`POST /api/v1/patients/{id}/prom-requests/{handle}/revoke`):
 * an HMAC of the patient and request ids under a key derived from the payload key, so a URL cannot be
 * made by guessing the request id (`<patient>-prom-<n>`), and a handle names one patient's request only.
 * The internal request ids stay as they are; staff read a request's handle beside its notification.
 */
export interface RequestHandles {
  of(patientId: string, requestId: string): string;
  /** Whether `handle` is this request's, under the current key or a decryption key being rotated out. */
  matches(handle: string, patientId: string, requestId: string): boolean;
}

/** 22 base64url characters: 132 bits of HMAC-SHA256. */
export const REQUEST_HANDLE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function requestHandles(config: Pick<TandemConfig, 'payload'>): RequestHandles {
  const derive = (key: Uint8Array) => Buffer.from(hkdfSync('sha256', key, Buffer.from('tandem/prom-request-handle/v1'), Buffer.from('handle'), 32));
  const current = derive(config.payload.currentKey.key);
  const all = [current, ...config.payload.decryptionKeys.map((k) => derive(k.key)).filter((k) => !k.equals(current))];
  const mac = (key: Buffer, patientId: string, requestId: string) =>
    createHmac('sha256', key).update(`${patientId}\n${requestId}`, 'utf8').digest('base64url').slice(0, 22);
  return {
    of: (patientId, requestId) => mac(current, patientId, requestId),
    matches: (handle, patientId, requestId) =>
      REQUEST_HANDLE_PATTERN.test(handle) && all.some((k) => timingSafeEqual(Buffer.from(mac(k, patientId, requestId)), Buffer.from(handle))),
  };
}
