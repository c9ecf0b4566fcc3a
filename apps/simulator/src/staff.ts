import type { CohortParameters } from './parameters';
import { Draws } from './random';

/**
 * Simulated staff: a person per role who works their queues over the API, as a person would. Which
 * queues those are, the API says (`/api/v1/me`): the role-to-queue map lives in the API alone.
 */
const STAFF: ReadonlyArray<{ sub: string; role: 'coordinator' | 'clinician' | 'specialist' }> = [
  { sub: 'sim-coordinator', role: 'coordinator' },
  { sub: 'sim-oncologist', role: 'clinician' },
  { sub: 'sim-specialist', role: 'specialist' },
];

interface OpenTask {
  id: string;
  type: string;
  createdAt: string;
  dueAt: string;
  allowedOutcomes: string[];
}

export interface StaffOptions {
  /** The API; the simulated staff sign in with its development sign-in (loopback, never in production). */
  apiUrl: string;
  parameters: CohortParameters;
  seed: number;
  pollMs?: number;
  log?: (line: string) => void;
}

/** Outcomes a person chooses: mostly what was offered goes ahead; some decline; some carers are in distress. */
function outcome(d: Draws, allowed: readonly string[], declinedShare: number): string {
  if (allowed.includes('declined') && d.chance(declinedShare)) return 'declined';
  if (allowed.includes('high-distress') && d.chance(0.2)) return 'high-distress';
  if (allowed.includes('documented')) return d.chance(0.6) ? 'documented' : 'ready';
  return allowed.find((o) => o !== 'declined' && o !== 'not-ready' && o !== 'high-distress') ?? allowed[0]!;
}

/**
 * Works the queues: each open task gets a moment to be done, drawn as a share of the time it was
 * given (on time for most, late for some, very late for a few), then is claimed and completed with
 * an outcome. Errors (a task closed by the pathway meanwhile: 404/409) are part of a working day.
 */
export function startStaff(o: StaffOptions) {
  const d = new Draws(o.seed, 1_000_003);
  const plans = new Map<string, { at: number; outcome: string }>();
  const done = { completed: 0, late: 0, conflicts: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tokens = new Map<string, Promise<string>>();
  const signIn = async (s: (typeof STAFF)[number]) => {
    const res = await fetch(`${o.apiUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: s.role, sub: s.sub }),
    });
    if (!res.ok) throw new Error(`the development sign-in refused ${s.sub} (${res.status}); simulated staff need the API on this machine, not in production`);
    return ((await res.json()) as { token: string }).token;
  };
  const tokenOf = (s: (typeof STAFF)[number]) => {
    if (!tokens.has(s.sub))
      tokens.set(
        s.sub,
        signIn(s).catch((e: unknown) => (tokens.delete(s.sub), Promise.reject(e as Error))),
      );
    return tokens.get(s.sub)!;
  };
  const call = async (s: (typeof STAFF)[number], path: string, init: RequestInit = {}) => {
    const res = await fetch(`${o.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${await tokenOf(s)}`, 'content-type': 'application/json' } });
    if (res.status === 401) tokens.delete(s.sub); // expired: sign in again on the next call
    return { status: res.status, body: (await res.json().catch(() => ({}))) as { items?: OpenTask[]; queues?: string[] } };
  };
  const share = () => {
    const s = o.parameters.staff;
    const r = d.next();
    return r < s.onTime ? d.between(0.1, 0.9) : r < s.onTime + s.late ? d.between(1.1, 2) : d.between(2, 5);
  };

  const tick = async () => {
    for (const s of STAFF) {
      const me = await call(s, '/api/v1/me');
      for (const queue of me.body.queues ?? []) {
        const list = await call(s, `/api/v1/tasks?queue=${queue}&status=open&limit=200`);
        for (const t of list.body.items ?? []) {
          if (stopped) return;
          const opened = Date.parse(t.createdAt);
          const given = Math.max(1, Date.parse(t.dueAt) - opened);
          if (!plans.has(t.id)) plans.set(t.id, { at: opened + given * share(), outcome: outcome(d, t.allowedOutcomes, o.parameters.staff.declined) });
          const plan = plans.get(t.id)!;
          if (Date.now() < plan.at) continue;
          const claimed = await call(s, `/api/v1/tasks/${t.id}/claim`, { method: 'POST' });
          const completed =
            claimed.status === 200
              ? await call(s, `/api/v1/tasks/${t.id}/complete`, { method: 'POST', body: JSON.stringify({ outcome: plan.outcome }) })
              : claimed;
          plans.delete(t.id);
          if (completed.status === 200) {
            done.completed++;
            if (Date.now() > Date.parse(t.dueAt)) done.late++;
          } else done.conflicts++;
        }
      }
    }
  };
  const loop = () => {
    if (stopped) return;
    tick()
      .catch((e: unknown) => o.log?.(`staff: ${(e as Error).message}; trying again`))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, o.pollMs ?? o.parameters.staff.pollSeconds * 1000);
      });
  };
  loop();
  return {
    done,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
