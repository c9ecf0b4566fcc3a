import { describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import { routeTemplate, UNMATCHED_ROUTE } from '../src/common/route-shape';
import { defaultKnownHosts, isKnownHost } from '../src/security';
import { REVOCATION_RECHECK_MS, SessionRevocations } from '../src/session/revocation';

describe('finding 10: the dev sign-in and the codec answer only known Host values', () => {
  const defaults = defaultKnownHosts(3000, 'http://localhost:3000');
  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:3000'])('%s is this API', (host) => expect(isKnownHost(host, 3000, defaults)).toBe(true));
  it.each([
    ['a rebinding domain on the API port', 'attacker.example:3000'],
    ['a loopback name on another port', 'localhost:8080'],
    ['a loopback name without the port', 'localhost'],
    ['a look-alike', 'localhost.attacker.example:3000'],
    ['a trailing dot', 'localhost.:3000'],
    ['no Host at all', undefined],
  ])('refuses %s', (_what, host) => expect(isKnownHost(host, 3000, defaults)).toBe(false));

  it('on port 80 a browser sends no port, and that is the API too', () => {
    expect(isKnownHost('127.0.0.1', 80, defaultKnownHosts(80, 'http://localhost:3000'))).toBe(true);
  });

  it('TANDEM_ALLOWED_HOSTS: a name alone allows any port, name:port only that one', () => {
    const allowed = ['tandem.example.org', 'ops.example.org:8443'];
    expect(isKnownHost('tandem.example.org', 3000, allowed)).toBe(true);
    expect(isKnownHost('tandem.example.org:443', 3000, allowed)).toBe(true);
    expect(isKnownHost('ops.example.org:8443', 3000, allowed)).toBe(true);
    expect(isKnownHost('ops.example.org:9000', 3000, allowed)).toBe(false);
    expect(isKnownHost('localhost:3000', 3000, allowed)).toBe(false);
  });
});

describe('finding 11: metrics and audit name the matched route template, never the path', () => {
  it('a matched route: its template in the OpenAPI document’s notation', () => {
    expect(routeTemplate({ route: { path: '/api/v1/patients/:patientId/pathway' } } as never)).toBe('/api/v1/patients/{patientId}/pathway');
  });
  it('no route matched: one shared label, whatever the path was', () => {
    expect(routeTemplate({ route: undefined } as never)).toBe(UNMATCHED_ROUTE);
  });
});

/** A stand-in for the session_revocation table that two replicas' pools share, counting the reads. */
function sharedTable() {
  const rows = new Set<string>();
  let reads = 0;
  const pool = {
    query: (sql: string, params: unknown[]) => {
      if (sql.startsWith('SELECT')) {
        reads++;
        return Promise.resolve({ rowCount: rows.has(params[0] as string) ? 1 : 0, rows: [] });
      }
      if (sql.startsWith('INSERT')) rows.add(params[0] as string);
      return Promise.resolve({ rowCount: 1, rows: [] });
    },
  } as unknown as Pool;
  return { pool, reads: () => reads };
}

describe('finding 15: a signed-out session is refused by every replica within the stated bound', () => {
  const session = { tokenId: 'jti:t-1', expiresAt: Math.floor(Date.now() / 1000) + 3600 };

  it(`at once on the replica that signed it out; on another within ${REVOCATION_RECHECK_MS} ms; one database read per token per window`, async () => {
    const table = sharedTable();
    let clock = Date.now();
    const a = new SessionRevocations(table.pool, REVOCATION_RECHECK_MS, () => clock);
    const b = new SessionRevocations(table.pool, REVOCATION_RECHECK_MS, () => clock);
    expect(await b.isRevoked(session)).toBe(false);
    expect(await b.isRevoked(session)).toBe(false);
    expect(table.reads()).toBe(1);
    await a.revoke(session, 'u');
    expect(await a.isRevoked(session)).toBe(true);
    clock += REVOCATION_RECHECK_MS + 1;
    expect(await b.isRevoked(session)).toBe(true);
  });
});
