import { describe, expect, it } from 'vitest';
import type { PathwayInput, PathwayState } from '@tandem/domain';
import { DEFAULT_POLICY, parseClinicalEvent } from '@tandem/domain';
import { initialState, RULES_REVISION, step } from '@tandem/domain/workflow-api';
import type { SimulatedPatient } from '../src/journey';
import { envelope, simulateCohort } from '../src/cohort';

const DAY = 86_400_000;
const policy = { policy: DEFAULT_POLICY, timeScale: 1 };

/**
 * A journey stepped through the pure rules engine as a pathway catching up with its history steps it
 * (workflows/src/catch-up.ts): each event at its clinical time, the timers due before it first, at
 * their own time, escalation ladders left for the present. Returns each PROM request the engine sent
 * (its time) and whether it was answered in time.
 */
function engineRequests(p: SimulatedPatient, startMs: number, nowMs: number): Map<number, boolean> {
  let s: PathwayState = initialState(p.patientId, RULES_REVISION);
  const sent = new Map<string, number>();
  const answered = new Set<string>();
  const take = (input: PathwayInput) => {
    const r = step(s, input, policy);
    s = r.state;
    for (const c of r.commands) {
      if (c.kind !== 'record-fact') continue;
      const v = c.fact.value as { requestId: string; late?: boolean };
      if (c.fact.name === 'prom-requested') sent.set(v.requestId, Date.parse(c.fact.at));
      if (c.fact.name === 'prom-answered' && !v.late) answered.add(v.requestId);
    }
  };
  const fire = (until: number) => {
    for (;;) {
      const due = Object.entries(s.timers)
        .filter(([, t]) => Date.parse(t.fireAt) <= until && t.purpose.kind !== 'task-overdue')
        .sort(([a, x], [b, y]) => Date.parse(x.fireAt) - Date.parse(y.fireAt) || a.localeCompare(b))[0];
      if (!due) return;
      take({ kind: 'timer', timerId: due[0], purpose: due[1].purpose, at: due[1].fireAt });
    }
  };
  for (const e of p.events) {
    const parsed = parseClinicalEvent(envelope(e, startMs + e.at, true));
    if (!parsed.ok) throw new Error(parsed.detail);
    fire(startMs + e.at);
    take({ kind: 'event', event: parsed.event, at: new Date(startMs + e.at).toISOString() });
  }
  fire(nowMs);
  return new Map([...sent].map(([id, at]) => [at, answered.has(id)]));
}

describe('the questionnaires of a journey are the ones the service sends (proms.ts)', () => {
  it('for every patient of a backfilled year: the same requests at the same instants as the engine, answered in time exactly when the journey says', () => {
    const nowMs = Date.parse('2026-12-01T12:00:00Z');
    const startMs = nowMs - Math.round(12 * 30.44 * DAY);
    const c = simulateCohort({ patients: 120, seed: 11, months: 12, startMs, policy: DEFAULT_POLICY });
    let requests = 0;
    for (const p of c.patients) {
      const engine = engineRequests(p, startMs, nowMs);
      const journey = new Map(p.promTimes.map((r) => [startMs + r.at, r.answered]));
      expect([...journey.keys()], p.patientId).toEqual([...engine.keys()].sort((a, b) => a - b));
      for (const [at, answered] of journey)
        if (startMs + p.promTimes.find((r) => startMs + r.at === at)!.answeredAt <= nowMs)
          expect(engine.get(at), `${p.patientId} ${new Date(at).toISOString()}`).toBe(answered);
      requests += journey.size;
    }
    // Discharges and progressions add Distress Thermometers to the schedule's questionnaires.
    expect(requests).toBeGreaterThan(c.patients.length * 5);
  });
});
