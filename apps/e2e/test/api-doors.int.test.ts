import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SignJWT } from 'jose';
import { advancedDiagnosis, newPatientId, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The API's own doors (issue 26, findings 6, 10, 11, 15, 17) against the running system: the audit
 * fails closed, tokens are bounded and can be signed out, the dev sign-in and the codec answer only
 * known Host values, metrics and audit name route templates, and rate limits see the client behind
 * a trusted proxy.
 */
const LIMIT = 3;
let sys: RunningTandem;
let port: number;

beforeAll(async () => {
  // One proxy hop trusted (TANDEM_TRUST_PROXY=1), as behind a load balancer; the sign-in's limit lowered.
  sys = await startTandem({ databaseUrl: inject('databaseUrl'), env: { TANDEM_TRUST_PROXY: '1' }, rateLimits: { devToken: LIMIT } });
  port = Number(new URL(sys.apiUrl).port);
});

afterAll(async () => {
  await sys?.stop();
});

interface Answer {
  status: number;
  text: string;
}

/** Any request with any headers (fetch will not send a Host of our choosing). */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const get = (path: string, token: string) => send(sys.apiUrl, 'GET', path, { authorization: `Bearer ${token}` });
const json = (a: Answer) => JSON.parse(a.text) as Record<string, unknown>;

/** A patient enrolled through Kafka (as a hospital's system would), with open tasks. */
async function enrolledPatient(): Promise<string> {
  const p = newPatientId('door');
  await sys.producer.send({ topic: sys.topics.in, messages: [{ key: p, value: JSON.stringify(advancedDiagnosis(p)) }] });
  await waitFor(async () => ((await sys.pool.query('SELECT 1 FROM task WHERE patient_id = $1', [p])).rowCount ?? 0) > 0, { what: 'enrolment tasks', timeoutMs: 30_000 });
  return p;
}

/** A token signed with the API's own secret, with exactly these claims. */
function signed(claims: { sub: string; iat?: number; exp: number }): Promise<string> {
  const jwt = new SignJWT({ roles: ['coordinator'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(sys.config.auth.issuer)
    .setAudience(sys.config.auth.audience);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  return jwt.setExpirationTime(claims.exp).sign(new TextEncoder().encode(sys.config.auth.secret));
}
const now = () => Math.floor(Date.now() / 1000);

describe('finding 6: the audit fails closed', () => {
  let shared: string | undefined;
  it('a PHI read whose audit row cannot be written answers 503 audit-unavailable with no patient data', async () => {
    const p = await enrolledPatient();
    const token = await sys.token(['coordinator'], 'fail-closed-reader');
    const reads = [`/api/v1/tasks?patientId=${p}`, `/api/v1/patients/${p}/pathway`];
    for (const path of reads) expect((await get(path, token)).status, path).toBe(200);
    // The API's own role loses the right to append to the audit: every insert it tries now fails in PostgreSQL.
    await sys.pool.query('REVOKE INSERT ON audit FROM tandem_api');
    try {
      for (const path of reads) {
        const r = await get(path, token);
        expect(r.status, path).toBe(503);
        expect(json(r)).toEqual({ error: 'audit-unavailable', message: expect.any(String) });
        expect(r.text).not.toContain(p);
      }
    } finally {
      await sys.pool.query('GRANT INSERT ON audit TO tandem_api');
    }
    // Back: the read answers again, and is audited before it does.
    expect((await get(reads[0]!, token)).status).toBe(200);
    const rows = await sys.pool.query('SELECT 1 FROM audit WHERE actor = $1 AND patient_id = $2 AND status = 200', ['fail-closed-reader', p]);
    expect(rows.rowCount).toBe(3);
  });

  it.each([
    ['a NUL character', 'dr\u0000who'],
    ['an empty subject', ''],
    ['a control character', 'dr\u0007who'],
    ['an over-long subject', 'x'.repeat(300)],
  ])('a token whose sub has %s: 401, and no data', async (_what, sub) => {
    const p = (shared ??= await enrolledPatient());
    const r = await get(`/api/v1/tasks?patientId=${p}`, await signed({ sub, iat: now(), exp: now() + 600 }));
    expect(r.status).toBe(401);
    expect(r.text).not.toContain(p);
  });
});

describe('finding 15: bounded tokens and server-side sign-out', () => {
  it('a token that expires in 100 years, or was issued in the future: 401', async () => {
    for (const claims of [
      { sub: 'forever', iat: now(), exp: now() + 100 * 365 * 86_400 },
      { sub: 'from-the-future', iat: now() + 3600, exp: now() + 7200 },
      { sub: 'no-iat', exp: now() + 600 },
    ]) {
      const r = await get('/api/v1/me', await signed(claims));
      expect(r.status, claims.sub).toBe(401);
    }
  });

  it('signing out revokes the session on the server: the same token is refused from then on, other sessions are not', async () => {
    const token = await sys.token(['clinician'], 'signs-out');
    const other = await sys.token(['clinician'], 'signs-out');
    expect((await get('/api/v1/me', token)).status).toBe(200);
    const out = await send(sys.apiUrl, 'POST', '/api/v1/sign-out', { authorization: `Bearer ${token}` });
    expect(out.status).toBe(204);
    const after = await get('/api/v1/me', token);
    expect(after.status).toBe(401);
    expect(json(after)).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('signed out') });
    expect((await get('/api/v1/me', other)).status).toBe(200);
    // Recorded in PostgreSQL, where every replica looks (within its 5 s re-check).
    const row = await sys.pool.query<{ actor: string }>('SELECT actor FROM session_revocation WHERE expires_at > now()');
    expect(row.rows.map((r) => r.actor)).toContain('signs-out');
  });
});

describe('finding 10: DNS rebinding — the dev sign-in and the codec answer only known Host values', () => {
  const signIn = (host: string) => send(sys.apiUrl, 'POST', '/api/dev/token', { host }, JSON.stringify({ role: 'admin', sub: 'rebind' }));

  it('POST /api/dev/token with Host attacker.example: 421 and no token; with the API’s own name: a token', async () => {
    for (const host of [`attacker.example:${port}`, 'attacker.example', `localhost:${port + 1}`]) {
      const r = await signIn(host);
      expect(r.status, host).toBe(421);
      expect(json(r)).toEqual({ error: 'unknown-host', message: expect.any(String) });
      expect(r.text).not.toContain('attacker');
    }
    const ok = await signIn(`127.0.0.1:${port}`);
    expect(ok.status).toBe(200);
    expect(json(ok).token).toEqual(expect.any(String));
  });

  it('the codec server with Host attacker.example: 421, nothing decoded', async () => {
    for (const op of ['decode', 'encode']) {
      const r = await send(sys.apiUrl, 'POST', `/api/codec/${op}`, { host: `attacker.example:${port}` }, JSON.stringify({ payloads: [] }));
      expect(r.status, op).toBe(421);
      expect(json(r)).toMatchObject({ error: 'unknown-host' });
    }
  });
});

describe('finding 11: metrics and the audit use the matched route template', () => {
  it('probing /api/v1/measures/c<N>/patients and a mixed-case /api/v1/PATIENTS/<id>/pathway put no caller path in /metrics or the audit', async () => {
    const p = await enrolledPatient();
    const unmatchedRows = async () => (await sys.pool.query(`SELECT 1 FROM audit WHERE action = 'GET (unmatched)' AND status = 404`)).rowCount ?? 0;
    const unmatchedBefore = await unmatchedRows();
    // The audit outlives test runs: an actor of this run's own.
    const actor = `mixed-case-reader-${p}`;
    const token = await sys.token(['coordinator'], actor);
    const metricsSize = async () => (await send(sys.apiUrl, 'GET', '/metrics')).text;
    const before = await metricsSize();
    for (let n = 0; n < 60; n++) await send(sys.apiUrl, 'GET', `/api/v1/measures/c${n}x/patients`);
    // Routes match case-sensitively: the mixed-case path is no route at all.
    const mixed = await get(`/api/v1/PATIENTS/${p}/pathway`, token);
    expect(mixed.status).toBe(404);
    expect(mixed.text).not.toContain(p);
    expect((await get(`/api/v1/patients/${p}/pathway`, token)).status).toBe(200);
    const text = await metricsSize();
    expect(text).not.toContain(p);
    expect(text).not.toMatch(/c\d+x/);
    expect(text).toContain('route="/api/v1/measures/{measureId}/patients"');
    expect(text).toContain('route="/api/v1/patients/{patientId}/pathway"');
    expect(text).toContain('route="(unmatched)"');
    // 60 distinct paths added no series: only counts grew (a generous margin for the histograms' numbers).
    const series = (t: string) => t.split('\n').filter((l) => l.startsWith('tandem_api_requests_total{')).length;
    expect(series(text) - series(before)).toBeLessThanOrEqual(4);
    // The mixed-case request matched no route, so no guard named its caller: one shared action, no id.
    await waitFor(async () => (await unmatchedRows()) > unmatchedBefore, {
      what: 'the unmatched request’s audit row',
      timeoutMs: 10_000,
    });
    const reader = await sys.pool.query<{ action: string; status: number }>('SELECT action, status FROM audit WHERE actor = $1', [actor]);
    expect(reader.rows).toEqual([{ action: 'GET /api/v1/patients/{patientId}/pathway', status: 200 }]);
    const withId = await sys.pool.query(`SELECT 1 FROM audit WHERE strpos(action, $1) > 0`, [p]);
    expect(withId.rowCount).toBe(0);
    const anonymous = await sys.pool.query<{ action: string }>(`SELECT DISTINCT action FROM audit WHERE action LIKE '%/measures/%' AND action ~ 'c[0-9]+x'`);
    expect(anonymous.rows).toEqual([]);
  });
});

describe('finding 17: TANDEM_TRUST_PROXY — rate limits key on the real client behind a load balancer', () => {
  const signIn = (base: string, client: string) =>
    send(base, 'POST', '/api/dev/token', { 'x-forwarded-for': client }, JSON.stringify({ role: 'ops', sub: 'behind-proxy' }));

  it('with one trusted hop, each client behind the proxy has its own bucket', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await signIn(sys.apiUrl, '203.0.113.7')).status).toBe(200);
    expect((await signIn(sys.apiUrl, '203.0.113.7')).status).toBe(429);
    // Another patient or member of staff behind the same load balancer is not held up by the first.
    expect((await signIn(sys.apiUrl, '203.0.113.8')).status).toBe(200);
  });

  it('by default (no trusted proxy) a forged X-Forwarded-For buys no fresh bucket', async () => {
    const plain = await startTandem({ databaseUrl: inject('databaseUrl'), rateLimits: { devToken: LIMIT }, worker: false, bridge: false, relay: false });
    try {
      for (let i = 0; i < LIMIT; i++) expect((await signIn(plain.apiUrl, `198.51.100.${i}`)).status).toBe(200);
      expect((await signIn(plain.apiUrl, '198.51.100.99')).status).toBe(429);
    } finally {
      await plain.stop();
    }
  });
});
