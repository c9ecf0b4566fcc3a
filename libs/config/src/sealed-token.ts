import { hkdfSync } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';
import type { PayloadKey } from './keys';

/**
 * Sealed tokens: JWTs encrypted and authenticated with AES-256-GCM (JWE `dir`), under a key derived
 * from the payload key (HKDF, one key per purpose). What a token names is unreadable without the key
 * and any change to it fails; `kid` says which payload key sealed it, so rotating TANDEM_PAYLOAD_KEY
 * keeps older tokens readable while their key is in TANDEM_PAYLOAD_OLD_KEYS.
 */
export interface SealedTokens<C extends Record<string, unknown>> {
  seal(claims: C, expiresAt: Date): Promise<string>;
  open(token: string, now?: Date): Promise<OpenedToken<C>>;
}

export type OpenedToken<C> = { ok: true; claims: C; expiresAt: Date } | { ok: false; why: 'expired' | 'invalid' };

/** Longest token accepted: anything longer is refused before any decryption is tried. */
const MAX_TOKEN_LENGTH = 2048;

export function sealedTokens<C extends Record<string, unknown>>(
  keys: { currentKey: PayloadKey; decryptionKeys: PayloadKey[] },
  purpose: string,
  isClaims: (x: unknown) => x is C,
): SealedTokens<C> {
  const derive = (k: PayloadKey) => new Uint8Array(hkdfSync('sha256', k.key, Buffer.from('tandem/sealed-token/v1'), Buffer.from(purpose), 32));
  const byId = new Map(keys.decryptionKeys.map((k) => [k.id, derive(k)]));
  const current = { id: keys.currentKey.id, key: derive(keys.currentKey) };
  return {
    async seal(claims, expiresAt) {
      return new EncryptJWT({ ...claims })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.id })
        .setAudience(purpose)
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .encrypt(current.key);
    },
    async open(token, now = new Date()) {
      if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){4}$/.test(token)) return { ok: false, why: 'invalid' };
      try {
        const { payload } = await jwtDecrypt(token, (header) => byId.get(header.kid ?? '') ?? current.key, {
          audience: purpose,
          currentDate: now,
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
        });
        const { aud: _aud, exp, ...claims } = payload;
        if (!isClaims(claims) || typeof exp !== 'number') return { ok: false, why: 'invalid' };
        return { ok: true, claims, expiresAt: new Date(exp * 1000) };
      } catch (e) {
        return { ok: false, why: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
      }
    },
  };
}
