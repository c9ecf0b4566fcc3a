import { createHash, randomUUID } from 'node:crypto';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, jwtVerify, SignJWT } from 'jose';
import type { TandemConfig } from '@tandem/config';
import type { Principal, Role } from './roles';
import { isRole } from './roles';

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** A verified caller and the session its token is: `tokenId` (its `jti`, or a hash of the token) and when it expires. */
export interface VerifiedPrincipal extends Principal {
  tokenId: string;
  /** Seconds since the epoch (the token's `exp`). */
  expiresAt: number;
}

export type TokenVerifier = (token: string) => Promise<VerifiedPrincipal>;

/** Clocks differ a little: an `iat` up to this far in the future, or an `exp` this far past, still passes. */
export const CLOCK_SKEW_SECONDS = 60;
/** The longest `sub` accepted (it is the audit's actor). */
export const MAX_SUB_LENGTH = 256;

/**
 * A subject the audit can name: non-empty, not blank, at most MAX_SUB_LENGTH characters, and no
 * control, format (bidi overrides, zero-width), private-use, line/paragraph separator or lone
 * surrogate character — nothing PostgreSQL cannot store, nothing that hides or fakes an actor.
 */
export function isPrintableSub(sub: unknown): sub is string {
  return typeof sub === 'string' && sub.length <= MAX_SUB_LENGTH && /\S/u.test(sub) && !/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u.test(sub);
}

/**
 * Verifies bearer JWTs: signature with an allowlisted algorithm (HS256 for development secrets,
 * RS256/ES256 from an OIDC issuer's JWKS), expiry, issuer and audience. `alg: none` never passes.
 * Bounded in time: `iat` is required, not in the future (beyond CLOCK_SKEW_SECONDS) and not older
 * than the maximum lifetime, and `exp − iat` is at most that lifetime (TANDEM_TOKEN_MAX_HOURS).
 * The subject must be printable (isPrintableSub). Revocation is the caller's (session/revocation.ts).
 */
export function createTokenVerifier(config: Pick<TandemConfig, 'auth'>): TokenVerifier {
  const { auth } = config;
  const jwks: JWTVerifyGetKey | undefined = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const secret = auth.secret ? new TextEncoder().encode(auth.secret) : undefined;
  return async (token) => {
    let payload: JWTPayload;
    try {
      const options = {
        issuer: auth.issuer,
        audience: auth.audience,
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: auth.maxLifetimeSeconds,
        clockTolerance: CLOCK_SKEW_SECONDS,
      };
      if (jwks) payload = (await jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256'] })).payload;
      else if (secret) payload = (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
      else throw new InvalidTokenError('no token verification configured');
    } catch (e) {
      throw e instanceof InvalidTokenError ? e : new InvalidTokenError('invalid or expired token');
    }
    const { exp, iat, sub, jti } = payload as { exp: number; iat: number; sub: unknown; jti?: unknown };
    if (exp - iat > auth.maxLifetimeSeconds) throw new InvalidTokenError('the token lives longer than this API accepts');
    if (!isPrintableSub(sub)) throw new InvalidTokenError('the token’s subject must be non-empty printable text');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => typeof r === 'string' && isRole(r)) : [];
    // A token without a usable jti is still revocable, by a hash of itself.
    const tokenId =
      typeof jti === 'string' && jti.length > 0 && jti.length <= 128 ? `jti:${jti}` : `sha256:${createHash('sha256').update(token).digest('hex')}`;
    return { sub, roles, tokenId, expiresAt: exp };
  };
}

/** A development token (HS256) for `npm run -s token`, with a fresh `jti` so signing out can revoke it. */
export async function signDevToken(config: Pick<TandemConfig, 'auth'>, roles: Role[], sub: string, ttl = '12h'): Promise<string> {
  if (!config.auth.secret) throw new Error('TANDEM_AUTH_SECRET is not set; development tokens need it');
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(config.auth.secret));
}
