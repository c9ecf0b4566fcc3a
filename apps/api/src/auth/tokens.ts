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

export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * Verifies bearer JWTs: signature with an allowlisted algorithm (HS256 for development secrets,
 * RS256/ES256 from an OIDC issuer's JWKS), expiry, issuer and audience. `alg: none` never passes.
 */
export function createTokenVerifier(config: Pick<TandemConfig, 'auth'>): TokenVerifier {
  const { auth } = config;
  const jwks: JWTVerifyGetKey | undefined = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const secret = auth.secret ? new TextEncoder().encode(auth.secret) : undefined;
  return async (token) => {
    let payload: JWTPayload;
    try {
      const options = { issuer: auth.issuer, audience: auth.audience, requiredClaims: ['exp', 'sub'] };
      if (jwks) payload = (await jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256'] })).payload;
      else if (secret) payload = (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
      else throw new InvalidTokenError('no token verification configured');
    } catch (e) {
      throw e instanceof InvalidTokenError ? e : new InvalidTokenError('invalid or expired token');
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is Role => typeof r === 'string' && isRole(r)) : [];
    return { sub: payload.sub!, roles };
  };
}

/** A development token (HS256) for `npm run -s token`. */
export async function signDevToken(config: Pick<TandemConfig, 'auth'>, roles: Role[], sub: string, ttl = '12h'): Promise<string> {
  if (!config.auth.secret) throw new Error('TANDEM_AUTH_SECRET is not set; development tokens need it');
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(config.auth.secret));
}
