import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, signDevToken } from '../src/auth/tokens';

const auth = { secret: 's'.repeat(48), issuer: 'tandem-dev', audience: 'tandem-api', jwksUrl: undefined };
const verify = createTokenVerifier({ auth });
const sign = (claims: Record<string, unknown>, opts: { secret?: string; iss?: string; aud?: string; exp?: string | number } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u1')
    .setIssuer(opts.iss ?? auth.issuer)
    .setAudience(opts.aud ?? auth.audience)
    .setExpirationTime(opts.exp ?? '1h')
    .sign(new TextEncoder().encode(opts.secret ?? auth.secret));

describe('bearer token verification', () => {
  it('accepts a development token and keeps only known roles', async () => {
    const token = await sign({ roles: ['coordinator', 'superuser'] });
    await expect(verify(token)).resolves.toEqual({ sub: 'u1', roles: ['coordinator'] });
  });

  it('accepts what `npm run -s token` signs', async () => {
    await expect(verify(await signDevToken({ auth }, ['ops'], 'lead-1'))).resolves.toEqual({ sub: 'lead-1', roles: ['ops'] });
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
          .setExpirationTime('5m')
          .sign(key);
      await expect(verifyOidc(await rs(issuerKey.privateKey))).resolves.toEqual({ sub: 'dr-1', roles: ['clinician'] });
      await expect(verifyOidc(await rs(otherKey.privateKey))).rejects.toThrow('invalid or expired token');
      // A development (HS256) token is refused when an issuer is configured.
      await expect(verifyOidc(await sign({ roles: ['admin'] }, { iss: oidc.issuer }))).rejects.toThrow('invalid or expired token');
    } finally {
      server.close();
    }
  });
});
