import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, signDevToken } from '../src/auth/tokens';

const auth = { secret: 's'.repeat(48), issuer: 'tandem-dev', audience: 'tandem-api', jwksUrl: undefined, maxLifetimeSeconds: 12 * 3600 };
const verify = createTokenVerifier({ auth });
const sign = (claims: Record<string, unknown>, opts: { secret?: string; iss?: string; aud?: string; exp?: string | number } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u1')
    .setIssuer(opts.iss ?? auth.issuer)
    .setAudience(opts.aud ?? auth.audience)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? auth.secret));

describe('bearer token verification', () => {
  it('accepts a development token and keeps only known roles', async () => {
    const token = await sign({ roles: ['coordinator', 'superuser'] });
    await expect(verify(token)).resolves.toMatchObject({ sub: 'u1', roles: ['coordinator'] });
  });

  it('accepts what `npm run -s token` signs', async () => {
    await expect(verify(await signDevToken({ auth }, ['ops'], 'lead-1'))).resolves.toMatchObject({ sub: 'lead-1', roles: ['ops'] });
  });

  it.each([
    ['signed with another key', () => sign({ roles: ['admin'] }, { secret: 'x'.repeat(48) })],
    ['expired', () => sign({ roles: ['admin'] }, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['from another issuer', () => sign({ roles: ['admin'] }, { iss: 'evil' })],
    ['for another audience', () => sign({ roles: ['admin'] }, { aud: 'other-api' })],
    [
      'unsigned (alg: none)',
      () =>
        Promise.resolve(
          new UnsecuredJWT({ roles: ['admin'] }).setSubject('u1').setIssuer(auth.issuer).setAudience(auth.audience).setExpirationTime('1h').encode(),
        ),
    ],
    ['not a JWT', () => Promise.resolve('hello')],
  ])('rejects a token %s', async (_name, make) => {
    await expect(verify(await make())).rejects.toThrow('invalid or expired token');
  });
});

describe('production tokens from an OIDC issuer (JWKS)', () => {
  it('accepts RS256 tokens signed by a key the issuer publishes, and nothing else', async () => {
    const { createServer } = await import('node:http');
    const { exportJWK, generateKeyPair } = await import('jose');
    const issuerKey = await generateKeyPair('RS256');
    const otherKey = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(issuerKey.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const oidc = { ...auth, secret: undefined, issuer: 'https://idp.example', audience: 'tandem-api', jwksUrl: `http://127.0.0.1:${port}/jwks` };
      const verifyOidc = createTokenVerifier({ auth: oidc });
      const rs = (key: Parameters<SignJWT['sign']>[0], kid = 'k1') =>
        new SignJWT({ roles: ['clinician'] })
          .setProtectedHeader({ alg: 'RS256', kid })
          .setSubject('dr-1')
          .setIssuer(oidc.issuer)
          .setAudience(oidc.audience)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(key);
      await expect(verifyOidc(await rs(issuerKey.privateKey))).resolves.toMatchObject({ sub: 'dr-1', roles: ['clinician'] });
      await expect(verifyOidc(await rs(otherKey.privateKey))).rejects.toThrow('invalid or expired token');
      // A development (HS256) token is refused when an issuer is configured.
      await expect(verifyOidc(await sign({ roles: ['admin'] }, { iss: oidc.issuer }))).rejects.toThrow('invalid or expired token');
    } finally {
      server.close();
    }
  });
});

const now = () => Math.floor(Date.now() / 1000);
/** A token with exactly these time claims (`iat` left out when undefined). */
const timed = (claims: { iat?: number; exp: number }, sub = 'u1') => {
  const jwt = new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer(auth.issuer).setAudience(auth.audience);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  return jwt.setExpirationTime(claims.exp).sign(new TextEncoder().encode(auth.secret));
};

describe('finding 15: a token has a maximum lifetime and a bounded iat', () => {
  it.each([
    ['that expires in 100 years', () => timed({ iat: now(), exp: now() + 100 * 365 * 86_400 })],
    ['that lives 13 hours (the maximum is 12)', () => timed({ iat: now(), exp: now() + 13 * 3600 })],
    ['issued in the future (beyond the clock skew)', () => timed({ iat: now() + 3600, exp: now() + 7200 })],
    ['issued longer ago than the maximum lifetime', () => timed({ iat: now() - 13 * 3600, exp: now() + 600 })],
    ['without an iat', () => timed({ exp: now() + 600 })],
  ])('refuses a token %s', async (_what, make) => {
    await expect(verify(await make())).rejects.toThrow(/invalid or expired token|lives longer/);
  });

  it('accepts a token issued within the clock skew, and one that lives exactly the maximum', async () => {
    await expect(verify(await timed({ iat: now() + 30, exp: now() + 600 }))).resolves.toMatchObject({ sub: 'u1' });
    await expect(verify(await timed({ iat: now(), exp: now() + 12 * 3600 }))).resolves.toMatchObject({ sub: 'u1' });
  });

  it('gives every development token its own jti, and a token without one an id from its hash (so both can be revoked)', async () => {
    const [a, b] = await Promise.all([signDevToken({ auth }, ['ops'], 'x'), signDevToken({ auth }, ['ops'], 'x')]);
    const [pa, pb] = await Promise.all([verify(a), verify(b)]);
    expect(pa.tokenId).toMatch(/^jti:[0-9a-f-]{36}$/);
    expect(pa.tokenId).not.toBe(pb.tokenId);
    const bare = await timed({ iat: now(), exp: now() + 600 });
    expect((await verify(bare)).tokenId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await verify(bare)).expiresAt).toBeGreaterThan(now());
  });
});

describe('finding 6: a token’s subject is non-empty printable text (it is the audit’s actor)', () => {
  it.each([
    ['a NUL character', 'dr\u0000who'],
    ['a control character', 'dr\u001bwho'],
    ['an empty subject', ''],
    ['a blank subject', '   '],
    ['an over-long subject (257 characters)', 'a'.repeat(257)],
    ['a bidirectional override', 'dr\u202ewho'],
    ['a lone surrogate', 'dr\ud800who'],
    ['a line separator', 'dr\u2028who'],
  ])('refuses %s', async (_what, sub) => {
    await expect(verify(await timed({ iat: now(), exp: now() + 600 }, sub))).rejects.toThrow('the token’s subject must be non-empty printable text');
  });

  it.each([['dr-who'], ['Zoë Ødegård'], ['a'.repeat(256)], ['user@example.org']])('accepts %s', async (sub) => {
    await expect(verify(await timed({ iat: now(), exp: now() + 600 }, sub))).resolves.toMatchObject({ sub });
  });
});
