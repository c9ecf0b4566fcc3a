import type { Cohort } from './cohort';
import { staffShare } from './implied';
import type { CohortParameters } from './parameters';
import { Draws } from './random';

type Role = keyof CohortParameters['staff']['team'];

/** Work planned more than this before now was done in the past: its completion carries the time. */
const PAST_MS = 60_000;
interface Person {
  sub: string;
  role: Role;
}

/**
 * Simulated staff: the parameters' team, people by role, who work their queues over the API as a
 * person would. Which queues a role works, the API says (`/api/v1/me`): the role-to-queue map lives
 * in the API alone, so every queue a role may work is worked.
 */
export function teamOf(p: CohortParameters): Person[] {
  return (Object.keys(p.staff.team) as Role[]).flatMap((role) =>
    Array.from({ length: p.staff.team[role].people }, (_, i) => ({ sub: `sim-${role}-${i + 1}`, role })),
  );
}

interface OpenTask {
  id: string;
  patientId: string;
  type: string;
  /** Why it was opened; a caregiver's assessment names the caregiver in its evidence (docs/contract.md section 5). */
  reason?: { evidence?: { caregiverId?: unknown; sourceEvent?: { id?: unknown } } };
  createdAt: string;
  /** Set when the pathway opened it while catching up with a loaded history: when, clinically (ADR 0019). */
  openedAt?: string;
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
  /**
   * The clinical clock's speed (TANDEM_TIME_SCALE): with it, each role completes at most its
   * people × tasks a day per clinical day, so backlogs form when work arrives faster and clear when
   * it falls. Without it (a test that only needs tasks worked), capacity is not limited.
   */
  timeScale?: number;
  /**
   * What the simulated world says a person can do (the cohort's ground truth): a referral proposal
   * is agreed once the world refers the patient and declined if it never does, the specialist team
   * records a triage as seen only once the patient has been seen (the journey's palliative.contact),
   * and nobody assesses a caregiver the team cannot reach.
   */
  world?: World;
}

/** What the simulated world tells its staff (worldOf): the cohort's ground truth. */
export interface World {
  /** Whether the patient has had their first specialist palliative contact by now. */
  seen(patientId: string): boolean;
  /** Whether the world has referred the patient to specialist palliative care by now, will later, or never (undefined: not this world's patient). */
  referral(patientId: string): 'referred' | 'not-yet' | 'never' | undefined;
  unreachable(caregiverId: string): boolean;
  /** The clinical time (epoch ms) of a backfilled event: when what opened a task happened, in the past (undefined for a live one). */
  eventTime(eventId: string): number | undefined;
}

/** Whether the world allows a task to be done yet (see StaffOptions.world). */
function possible(t: OpenTask, world: StaffOptions['world']): boolean {
  if (!world) return true;
  if (t.type === 'specialist-referral-triage') return world.seen(t.patientId);
  if (t.type === 'specialist-referral-proposal') return world.referral(t.patientId) !== 'not-yet';
  const caregiver = caregiverOf(t);
  if (caregiver !== undefined) return !world.unreachable(caregiver);
  return true;
}

const caregiverOf = (t: OpenTask): string | undefined =>
  t.type === 'caregiver-assessment' && typeof t.reason?.evidence?.caregiverId === 'string' ? t.reason.evidence.caregiverId : undefined;

/** Outcomes a person chooses: mostly what was offered goes ahead; some decline; some carers are in distress. */
function outcome(d: Draws, allowed: readonly string[], declinedShare: number): string {
  if (allowed.includes('declined') && d.chance(declinedShare)) return 'declined';
  if (allowed.includes('high-distress') && d.chance(0.2)) return 'high-distress';
  // ACP is documented by the world's acp.documented event, with its preferred place: a conversation
  // recorded as "documented" first would make that event look older than the record, and lose it.
  if (allowed.includes('documented')) return 'ready';
  return allowed.find((o) => o !== 'declined' && o !== 'not-ready' && o !== 'high-distress') ?? allowed[0]!;
}

/**
 * Works the queues: each open task gets a moment to be done, drawn as a share of the time it was
 * given (on time for most, late for some, very late for a few), then is claimed and completed with
 * an outcome. Errors (a task closed by the pathway meanwhile: 404/409) are part of a working day.
 */
export function startStaff(o: StaffOptions) {
  const d = new Draws(o.seed, 1_000_003);
  const plans = new Map<string, { at: number; dated: boolean; outcome: string }>();
  const done = {
    completed: 0,
    late: 0,
    conflicts: 0,
    caregiversAssessed: new Set<string>(),
    bereavementContacts: new Map<string, number>(),
    /** Whole passes over every queue in a row that found nothing to do now: the staff have settled (the rest is planned for later or held by capacity). */
    quietPasses: 0,
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tokens = new Map<string, Promise<string>>();
  const team = teamOf(o.parameters);
  const signIn = async (s: Person) => {
    const res = await fetch(`${o.apiUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: s.role, sub: s.sub }),
    });
    if (!res.ok) throw new Error(`the development sign-in refused ${s.sub} (${res.status}); simulated staff need the API on this machine, not in production`);
    return ((await res.json()) as { token: string }).token;
  };
  const tokenOf = (s: Person) => {
    if (!tokens.has(s.sub))
      tokens.set(
        s.sub,
        signIn(s).catch((e: unknown) => (tokens.delete(s.sub), Promise.reject(e as Error))),
      );
    return tokens.get(s.sub)!;
  };
  const call = async (s: Person, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${o.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${await tokenOf(s)}`, 'content-type': 'application/json' } });
    if (res.status === 401) tokens.delete(s.sub); // expired: sign in again on the next call
    return {
      status: res.status,
      body: (await res.json().catch(() => ({}))) as { items?: OpenTask[]; nextCursor?: string | null; queues?: string[]; completedAt?: string },
    };
  };
  /**
   * When a task is done and with what outcome: a drawn share of the time it was given, counted from
   * when what opened it happened. In a backfill that is the clinical past (a death months ago opened
   * its bereavement contact then, on the history's clock): the work is done then, as the world would
   * have done it, and recorded with that time (ADR 0018, 0019).
   */
  const plan = (t: OpenTask) => {
    const chosen = outcome(d, t.allowedOutcomes, o.parameters.staff.declined);
    const opened = Date.parse(t.createdAt);
    const due = Date.parse(t.dueAt);
    // When what opened the task happened, if in the clinical past (the API's lower bound for a dated
    // completion): the backfilled event that opened it, or the history's time its pathway opened it at.
    const sourceId = t.reason?.evidence?.sourceEvent?.id;
    const source = (typeof sourceId === 'string' ? o.world?.eventTime(sourceId) : undefined) ?? (t.openedAt ? Date.parse(t.openedAt) : undefined);
    // Live work: a drawn share of the time it was given, from its opening; recorded when done.
    if (source === undefined || source >= opened) return { at: opened + Math.max(1, due - opened) * share(), dated: false, outcome: chosen };
    // Work whose cause lies in the clinical past (a backfill). The pathway stepped that past on its
    // clinical clock (ADR 0019), so the task was due a policy time after its cause, in clinical time.
    // Planned in the clinical past, the work is done then and dated; planned ahead, it is done when
    // the clinical clock gets there.
    const scale = o.timeScale ?? 1;
    const clinicalAt = source + Math.max(1, due - source) * share();
    const now = Date.now();
    if (clinicalAt < now - PAST_MS) return { at: clinicalAt, dated: true, outcome: chosen };
    return { at: now + Math.max(0, clinicalAt - now) / scale, dated: false, outcome: chosen };
  };
  const share = () => staffShare(o.parameters, d);

  // Capacity: tasks each role may still complete, accrued by clinical time (a day's worth at most).
  const budget = new Map<Role, number>();
  let lastTick = Date.now();
  const accrue = () => {
    const now = Date.now();
    const days = o.timeScale === undefined ? Infinity : ((now - lastTick) * o.timeScale) / 86_400_000;
    lastTick = now;
    for (const role of Object.keys(o.parameters.staff.team) as Role[]) {
      const perDay = o.parameters.staff.team[role].people * o.parameters.staff.team[role].tasksPerDay;
      budget.set(role, Math.min(Math.max(perDay, 1), (budget.get(role) ?? 0) + perDay * days));
    }
  };

  /** Every open task of a queue, page by page: a first page full of work planned for later must not hide the rest. */
  async function* openTasks(who: Person, queue: string): AsyncGenerator<OpenTask> {
    let cursor: string | undefined;
    do {
      const page = await call(who, `/api/v1/tasks?queue=${queue}&status=open&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      yield* page.body.items ?? [];
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor !== undefined && !stopped);
  }

  const tick = async () => {
    accrue();
    const before = done.completed + done.conflicts;
    for (const role of Object.keys(o.parameters.staff.team) as Role[]) {
      const people = team.filter((p) => p.role === role);
      const me = await call(people[0]!, '/api/v1/me');
      let turn = 0;
      for (const queue of me.body.queues ?? []) {
        for await (const t of openTasks(people[0]!, queue)) {
          if (stopped) return;
          if (!plans.has(t.id)) plans.set(t.id, plan(t));
          const { at, dated, outcome: drawn } = plans.get(t.id)!;
          if (Date.now() < at || !possible(t, o.world)) continue;
          // A proposal goes as the world's referral went; other outcomes are the staff's own.
          const referral = t.type === 'specialist-referral-proposal' ? o.world?.referral(t.patientId) : undefined;
          const chosen = referral === undefined ? drawn : referral === 'referred' ? 'agreed' : 'declined';
          // Capacity is today's: work the world did in the past (a backfill's) was done by the team then.
          // This role's day is full: the rest of today's live work waits, the past's dated work does not.
          if (!dated && budget.get(role)! < 1) continue;
          const s = people[turn++ % people.length]!;
          const claimed = await call(s, `/api/v1/tasks/${t.id}/claim`, { method: 'POST' });
          const completed =
            claimed.status === 200
              ? await call(s, `/api/v1/tasks/${t.id}/complete`, {
                  method: 'POST',
                  // Work done in the clinical past (a backfill) is recorded with the time it was done.
                  body: JSON.stringify({ outcome: chosen, ...(dated ? { completedAt: new Date(at).toISOString() } : {}) }),
                })
              : claimed;
          // Not done after all (the pathway closed it meanwhile, or the API refused): hand it back.
          if (claimed.status === 200 && completed.status !== 200) await call(s, `/api/v1/tasks/${t.id}/unclaim`, { method: 'POST' });
          plans.delete(t.id);
          if (!dated) budget.set(role, budget.get(role)! - 1);
          if (completed.status === 200) {
            done.completed++;
            const caregiver = caregiverOf(t);
            if (caregiver !== undefined) done.caregiversAssessed.add(caregiver);
            // When the API recorded it done (the given time, or its own now); the family's first contact counts.
            const doneAt = Date.parse(completed.body.completedAt ?? new Date().toISOString());
            if (t.type === 'bereavement-contact')
              done.bereavementContacts.set(t.patientId, Math.min(doneAt, done.bereavementContacts.get(t.patientId) ?? Infinity));
            if (!dated && doneAt > Date.parse(t.dueAt)) done.late++;
          } else done.conflicts++;
        }
      }
    }
    done.quietPasses = done.completed + done.conflicts === before ? done.quietPasses + 1 : 0;
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

/**
 * What the simulated world tells its staff, from the cohort's ground truth: its clock (the
 * journeys' `at`, ms after the cohort's start; live, it runs time-scale times faster than the wall
 * clock, apps/simulator/src/drive.ts) and, for a backfill, when each event happened.
 */
export function worldOf(cohort: Cohort, o: { startMs: number; backfill: boolean; timeScale: number }): World {
  const wallStart = Date.now();
  const clinicalNow = o.backfill ? () => Date.now() - o.startMs : () => (Date.now() - wallStart) * o.timeScale;
  const seenAt = new Map(
    cohort.patients.flatMap((p) => (p.care.specialistContactAt === undefined ? [] : [[p.patientId, p.care.specialistContactAt] as const])),
  );
  const unreachable = new Set(cohort.patients.flatMap((p) => p.caregivers.filter((g) => g.unreachable).map((g) => g.caregiverId)));
  const byId = new Map(cohort.patients.map((p) => [p.patientId, p]));
  // Only a backfill's events lie in the clinical past; a live cohort's work is done as it comes.
  const sent = new Map(o.backfill ? cohort.events.map((e) => [e.id, o.startMs + e.at]) : []);
  return {
    seen: (id) => (seenAt.get(id) ?? Infinity) <= clinicalNow(),
    referral: (id) => {
      const p = byId.get(id);
      if (!p) return undefined;
      if (p.care.referredAt === undefined) return 'never';
      return p.care.referredAt <= clinicalNow() ? 'referred' : 'not-yet';
    },
    unreachable: (id) => unreachable.has(id),
    eventTime: (id) => sent.get(id),
  };
}

/** Several cohorts' worlds as one (the demo's past year and its live arrivals): patients and events are each in one. */
export function worlds(list: readonly World[]): World {
  return {
    seen: (id) => list.some((w) => w.seen(id)),
    referral: (id) => list.map((w) => w.referral(id)).find((r) => r !== undefined),
    unreachable: (id) => list.some((w) => w.unreachable(id)),
    eventTime: (id) => list.map((w) => w.eventTime(id)).find((t) => t !== undefined),
  };
}
