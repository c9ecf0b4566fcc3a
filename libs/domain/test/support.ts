import type {
  ClinicalEvent,
  NotificationSpec,
  PathwayCommand,
  PathwayInput,
  PathwayPolicy,
  PathwayState,
  PathwayTask,
  ResolvedPolicy,
  TimerPurpose,
} from '../src';
import { DEFAULT_POLICY, initialState, parseClinicalEvent, step } from '../src';
import { expect } from 'vitest';

/** A state as it would be recorded before tasks had typed memory: what a task remembers only in its evidence. */
export function beforeTypedMemory(s: PathwayState): PathwayState {
  const tasks = Object.fromEntries(
    Object.entries(s.tasks).map(([id, { memory, ...t }]) => {
      // A compacted task kept its PROM request in its evidence then (compact.ts).
      const slim = Object.keys(t.reason.evidence).length === 0 && memory?.requestId !== undefined;
      return [id, slim ? { ...t, reason: { ...t.reason, evidence: { requestId: memory.requestId } } } : t];
    }),
  );
  return { ...s, tasks };
}

/** Commands without the memory they carry (compared across the two ways of remembering). */
export const withoutMemory = (cs: PathwayCommand[]): PathwayCommand[] =>
  cs.map((c) => {
    if (c.kind === 'open-task') {
      const { memory: _m, ...task } = c.task;
      return { ...c, task };
    }
    if (c.kind === 'update-task') {
      const { memory: _m, ...rest } = c;
      return rest;
    }
    return c;
  });

export const T0 = Date.parse('2026-11-02T09:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

export function policyWith(overrides: (p: PathwayPolicy) => void = () => undefined, timeScale = 1): ResolvedPolicy {
  const policy = structuredClone(DEFAULT_POLICY);
  overrides(policy);
  return { policy, timeScale };
}

let counter = 0;
/** A valid clinical event (validated exactly as the bridge validates it). */
export function event(type: string, data: Record<string, unknown>, atMs = T0, id = `evt-${++counter}`): ClinicalEvent {
  const parsed = parseClinicalEvent({ specversion: '1.0', id, source: 'test', type, subject: 'pt-1', time: iso(atMs), data });
  if (!parsed.ok) throw new Error(`invalid test event: ${parsed.detail}`);
  return parsed.event;
}

export const diagnosis = (data: Record<string, unknown> = {}, atMs = T0) =>
  event('diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: iso(atMs).slice(0, 10), ...data }, atMs);
export const prom = (scores: Record<string, number | undefined>, atMs: number) =>
  event(
    'prom.submitted',
    {
      instrument: 'distress' in scores ? 'DT' : 'ESAS-r',
      responseId: `r-${++counter}`,
      scores: Object.fromEntries(Object.entries(scores).filter(([, v]) => v !== undefined)),
    },
    atMs,
  );

/**
 * Drives the pure engine like the workflow does: inputs in order, timers fired when the clock passes
 * them, every command kept for assertions.
 */
export class Journey {
  state: PathwayState = initialState('pt-1');
  readonly log: Array<{ input: PathwayInput; commands: PathwayCommand[] }> = [];
  /**
   * The notifications as the step's writes store them: one per command id, the first one kept
   * (`ON CONFLICT DO NOTHING`). Tasks are `state.tasks`, kept the same way. Assert on these — the
   * resulting care — not only on the commands emitted.
   */
  readonly outbox = new Map<string, NotificationSpec>();
  /** Stored facts (pathway_fact), one per command id like the notifications: what the measures read. */
  readonly facts = new Map<string, { name: string; value: unknown; at: string; rule: string }>();
  now = T0;

  /**
   * Also step every input from the state as a pathway recorded before typed task memory would hold
   * it (memory only in the evidence), and require the same decisions: tasks' memory must remember
   * exactly what the rules read from evidence before (libs/domain/src/pathway/memory.ts).
   */
  checkMemory = false;

  constructor(readonly policy: ResolvedPolicy = policyWith()) {}

  /** Stored notifications, optionally of one kind. */
  delivered(kind?: string): NotificationSpec[] {
    return [...this.outbox.values()].filter((n) => kind === undefined || n.kind === kind);
  }

  /** Stored facts of one name, in the order recorded. */
  factsNamed(name: string): Array<{ name: string; value: unknown; at: string; rule: string }> {
    return [...this.facts.values()].filter((f) => f.name === name);
  }

  /** Every task of a type, in the order opened (open or not). */
  tasksOf(type: string): PathwayTask[] {
    return Object.values(this.state.tasks).filter((t) => t.type === type);
  }

  get last(): PathwayCommand[] {
    return this.log[this.log.length - 1]?.commands ?? [];
  }

  get all(): PathwayCommand[] {
    return this.log.flatMap((l) => l.commands);
  }

  private feed(input: PathwayInput): PathwayCommand[] {
    const r = step(this.state, input, this.policy);
    if (this.checkMemory) expect(withoutMemory(step(beforeTypedMemory(this.state), input, this.policy).commands)).toEqual(withoutMemory(r.commands));
    this.state = r.state;
    for (const c of r.commands) {
      if (c.kind === 'notify' && !this.outbox.has(c.commandId)) this.outbox.set(c.commandId, c.notification);
      if (c.kind === 'record-fact' && !this.facts.has(c.commandId))
        this.facts.set(c.commandId, { name: c.fact.name, value: c.fact.value, at: c.fact.at, rule: c.fact.reason.rule });
    }
    this.log.push({ input, commands: r.commands });
    return r.commands;
  }

  /** Delivers an event at the current clock (its clinical time is its own). */
  send(e: ClinicalEvent): PathwayCommand[] {
    return this.feed({ kind: 'event', event: e, at: iso(this.now) });
  }

  complete(type: string, outcome: string, subject?: string, completedAt = this.now): PathwayCommand[] {
    const t = this.open(type, subject);
    if (!t) throw new Error(`no open ${type} task to complete`);
    return this.feed({ kind: 'task.completed', commandId: t.commandId, outcome, completedAt: iso(completedAt), at: iso(this.now) });
  }

  /** Moves the clock, firing every timer that falls due on the way, in order. */
  advance(ms: number): PathwayCommand[] {
    const until = this.now + ms;
    const out: PathwayCommand[] = [];
    for (;;) {
      const due = Object.entries(this.state.timers)
        .filter(([, t]) => Date.parse(t.fireAt) <= until)
        .sort(([a, x], [b, y]) => Date.parse(x.fireAt) - Date.parse(y.fireAt) || a.localeCompare(b))[0];
      if (!due) break;
      const [timerId, timer] = due;
      this.now = Math.max(this.now, Date.parse(timer.fireAt));
      out.push(...this.feed({ kind: 'timer', timerId, purpose: timer.purpose, at: iso(this.now) }));
    }
    this.now = until;
    return out;
  }

  open(type: string, subject?: string): PathwayTask | undefined {
    return Object.values(this.state.tasks).find((t) => t.status === 'open' && t.type === type && (subject === undefined || t.subject === subject));
  }

  openOf(type: string): PathwayTask[] {
    return Object.values(this.state.tasks).filter((t) => t.status === 'open' && t.type === type);
  }

  timer(kind: TimerPurpose['kind']): string | undefined {
    return Object.values(this.state.timers).find((t) => t.purpose.kind === kind)?.fireAt;
  }
}

export const opened = (commands: PathwayCommand[], type?: string) =>
  commands.flatMap((c) => (c.kind === 'open-task' && (type === undefined || c.task.type === type) ? [c] : []));
export const notified = (commands: PathwayCommand[], kind?: string) =>
  commands.flatMap((c) => (c.kind === 'notify' && (kind === undefined || c.notification.kind === kind) ? [c] : []));
export const facts = (commands: PathwayCommand[], name?: string) =>
  commands.flatMap((c) => (c.kind === 'record-fact' && (name === undefined || c.fact.name === name) ? [c] : []));

/** An enrolled patient (advanced diagnosis at T0, median survival unknown). */
export function enrolled(policy?: ResolvedPolicy, diagnosisData: Record<string, unknown> = {}): Journey {
  const j = new Journey(policy);
  j.send(diagnosis(diagnosisData));
  return j;
}

/**
 * fast-check settings for the property tests: `npm test` runs `runs` journeys per property from a
 * fixed seed (deterministic CI); TANDEM_PROPERTY_RUNS=10000 runs that many from a random seed, which
 * is printed so a counterexample can be reproduced with TANDEM_PROPERTY_SEED.
 */
export function propertyParams(runs = 200): { numRuns: number; seed: number } {
  const numRuns = Number(process.env.TANDEM_PROPERTY_RUNS ?? runs);
  const seed = process.env.TANDEM_PROPERTY_SEED
    ? Number(process.env.TANDEM_PROPERTY_SEED)
    : process.env.TANDEM_PROPERTY_RUNS
      ? Date.now() % 2 ** 31
      : 20_261_201;
  return { numRuns, seed };
}

/** A property test's own timeout: room for every journey it runs (the long ones take ~10 ms each). */
export const propertyTimeout = (runs = 200) => 30_000 + propertyParams(runs).numRuns * 25;
