import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clinicalEvent, newPatientId } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * What a browser and an attacker see of the API's edges: security headers on the console, the API
 * docs page and the API; CORS closed; body, media-type and method refusals; the rate limits of the
 * sign-in and event routes (lowered here so a test reaches them in a few requests).
 */
const LIMIT = 3;
let sys: RunningTandem;
let token: string;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl'), rateLimits: { devToken: LIMIT, events: LIMIT } });
  token = await sys.token(['coordinator']);
});

afterAll(async () => {
  await sys?.stop();
});

const url = (path: string) => `${sys.apiUrl}${path}`;
/** Any method, TRACE included (fetch refuses it): status and Allow header. */
function raw(method: string, path: string): Promise<{ status: number; allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url(path), { method, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
    });
    req.on('error', reject);
    req.end();
  });
}
const authed = (init: RequestInit = {}): RequestInit => ({ ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

describe('security headers', () => {
  for (const [what, path, init] of [
    ['the console', '/', {}],
    ['the API docs page', '/api/docs', { headers: { accept: 'text/html' } }],
    ['an API answer', '/api/v1/me', 'authed'],
  ] as const) {
    it(`${what}: a strict Content-Security-Policy, no framing, nosniff, no referrer`, async () => {
      const res = await fetch(url(path), init === 'authed' ? authed() : init);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
        expect(csp).toContain(directive);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });
  }
});

describe('CORS is closed', () => {
  it('grants no other origin: no Access-Control-Allow-Origin on a preflight or a request', async () => {
    const preflight = await fetch(url('/api/v1/me'), {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).toBe(405);
    const res = await fetch(url('/api/v1/me'), authed({ headers: { origin: 'https://elsewhere.example' } }));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('requests the API refuses before reading them', () => {
  it('a body over the limit: 413 with the error shape', async () => {
    const res = await fetch(
      url('/api/v1/tasks/00000000-0000-4000-8000-000000000000/complete'),
      authed({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'x'.repeat(200_000) }) }),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'payload-too-large', message: expect.any(String) });
  });

  it('a body that is not JSON: 415', async () => {
    const res = await fetch(
      url('/api/v1/tasks/00000000-0000-4000-8000-000000000000/complete'),
      authed({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'outcome=seen' }),
    );
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'unsupported-media-type' });
  });

  it('text PostgreSQL cannot store (a NUL character): 400, never a server error', async () => {
    const res = await fetch(
      // A well-formed request handle (issue 26: URLs name a PROM request by its handle), so the reason is what is refused.
      url(`/api/v1/patients/p-nul/prom-requests/${'A'.repeat(22)}/revoke`),
      authed({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'typed \u0000 by mistake' }) }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid-request', details: [expect.objectContaining({ path: 'reason' })] });
  });

  it('a method the path does not have: 405 with Allow', async () => {
    for (const [method, path, allow] of [
      ['TRACE', '/readyz', 'GET, HEAD'],
      ['DELETE', '/api/v1/tasks/00000000-0000-4000-8000-000000000000', 'GET, HEAD'],
      ['PUT', '/api/v1/events', 'POST'],
    ] as const) {
      const res = await raw(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.allow).toBe(allow);
    }
  });
});

describe('rate limits', () => {
  it(`the development sign-in: ${LIMIT} a minute per client, then 429 with RateLimit headers`, async () => {
    const signIn = () =>
      fetch(url('/api/dev/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'ops', sub: 'limit-test' }),
      });
    for (let i = 0; i < LIMIT; i++) expect((await signIn()).status).toBe(200);
    const refused = await signIn();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-policy')).toContain(`q=${LIMIT}; w=60`);
    expect(await refused.json()).toMatchObject({ error: 'rate-limited' });
  });

  it(`clinical events over HTTP: ${LIMIT} a minute per client, then 429 (nothing queued)`, async () => {
    const p = newPatientId('limit');
    const post = (i: number) =>
      fetch(
        url('/api/v1/events'),
        authed({
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(clinicalEvent('palliative.contact', p, { team: 'community' }, { id: `limit-${p}-${i}` })), // one a coordinator may assert
        }),
      );
    for (let i = 0; i < LIMIT; i++) expect((await post(i)).status).toBe(202);
    expect((await post(LIMIT)).status).toBe(429);
  });
});
