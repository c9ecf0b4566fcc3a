import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { describe, expect, it } from 'vitest';
import { CONTROLLERS } from '../src/app.module';
import { AuthGuard } from '../src/auth/auth.guard';
import type { Role } from '../src/auth/roles';
import { ROLES } from '../src/auth/roles';
import { ApiError } from '../src/common/api-error';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'];
const PATIENT_WORK: Role[] = ['coordinator', 'clinician', 'specialist', 'admin'];

/** The access policy, written out route by route: deny by default, `ops` never reaches patient data, `integration` only posts events. */
const EXPECTED: Record<string, Role[] | 'public'> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'POST /api/dev/token': 'public',
  // Anyone signed in may sign their own session out.
  'POST /api/v1/sign-out': [...ROLES],
  'GET /api/v1/me': ['coordinator', 'clinician', 'specialist', 'ops', 'admin'],
  'GET /api/docs': 'public',
  'GET /api/docs.json': 'public',
  'GET /api/docs-init.js': 'public',
  // The patient's PROM page: its sealed link is the only key (no account); rate-limited.
  'GET /p/:token': 'public',
  'GET /api/p/:token': 'public',
  'POST /api/p/:token': 'public',
  'GET /api/v1/tasks': PATIENT_WORK,
  'GET /api/v1/tasks/:id': PATIENT_WORK,
  'POST /api/v1/tasks/:id/claim': PATIENT_WORK,
  'POST /api/v1/tasks/:id/unclaim': PATIENT_WORK,
  'POST /api/v1/tasks/:id/reassign': PATIENT_WORK,
  'POST /api/v1/tasks/:id/complete': PATIENT_WORK,
  // Which types each role may assert is the route's own check (authorship.ts); `integration`, a service account, posts events and does nothing else.
  'POST /api/v1/events': [...PATIENT_WORK, 'integration'],
  'GET /api/v1/patients/:patientId/pathway': PATIENT_WORK,
  // Measures are aggregates (ops sees them with small numbers suppressed); the patients behind one are not.
  'GET /api/v1/measures': ['ops', ...PATIENT_WORK],
  'GET /api/v1/measures/:measureId/trend': ['ops', ...PATIENT_WORK],
  'GET /api/v1/measures/:measureId/patients': PATIENT_WORK,
  'GET /api/v1/digests': ['ops', ...PATIENT_WORK],
  'GET /api/v1/digests/:id': ['ops', ...PATIENT_WORK],
  'GET /api/v1/patients/:patientId/notifications': PATIENT_WORK,
  'GET /api/v1/reminders': PATIENT_WORK,
  'GET /api/v1/patients/:patientId/symptoms': PATIENT_WORK,
  'POST /api/v1/patients/:patientId/pathway/history-loaded': ['integration', 'admin'],
  'GET /api/v1/queues': PATIENT_WORK,
  // Operators' view of deliveries (they name patients): coordinators and admins; retrying is admin's.
  'GET /api/v1/notifications': ['coordinator', 'admin'],
  'POST /api/v1/notifications/:id/retry': ['admin'],
  'POST /api/v1/patients/:patientId/prom-requests/:requestHandle/revoke': ['coordinator', 'admin'],
  // The codec server admits callers itself: this machine only (development), or an admin's token (production; codec-server.int.test.ts).
  'POST /api/codec/decode': 'public',
  'POST /api/codec/encode': 'public',
  // Words only, no patient data.
  'GET /api/v1/vocabulary': ['coordinator', 'clinician', 'specialist', 'ops', 'admin'],
};

function routes() {
  return CONTROLLERS.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = controller.prototype as unknown as Record<string, object>;
    return Object.getOwnPropertyNames(proto)
      .filter((n) => n !== 'constructor' && Reflect.getMetadata(PATH_METADATA, proto[n]!) !== undefined)
      .map((n) => {
        const handler = proto[n] as (...args: unknown[]) => unknown;
        const path = `/${[base, String(Reflect.getMetadata(PATH_METADATA, handler))].filter((p) => p && p !== '/').join('/')}`;
        return { key: `${METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number]} ${path}`, handler, controller };
      });
  });
}

/** A guard whose verifier reads the role straight from the fake token, so only the policy is under test. */
const guard = new AuthGuard(new Reflector(), (token) => Promise.resolve({ sub: 'u', roles: [token as Role], tokenId: 'jti:t', expiresAt: 0 }));
const context = (handler: (...args: unknown[]) => unknown, controller: object, token?: string) =>
  ({
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => ({ headers: token ? { authorization: `Bearer ${token}` } : {} }) }),
  }) as unknown as ExecutionContext;

async function decision(ctx: ExecutionContext): Promise<number> {
  try {
    return (await guard.canActivate(ctx)) ? 200 : 403;
  } catch (e) {
    return e instanceof ApiError ? e.status : 500;
  }
}

describe('access matrix: every route × every role', () => {
  it('lists every route of the API in the expected policy (a new route must be added here)', () => {
    expect(
      routes()
        .map((r) => r.key)
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  const cases = routes().flatMap((r) => [...ROLES, 'no token' as const].map((role) => ({ ...r, role })));
  it.each(cases)('$key as $role', async ({ key, handler, controller, role }) => {
    const policy = EXPECTED[key]!;
    const status = await decision(context(handler, controller, role === 'no token' ? undefined : role));
    const expected = policy === 'public' ? 200 : role === 'no token' ? 401 : policy.includes(role) ? 200 : 403;
    expect(status).toBe(expected);
  });
});
