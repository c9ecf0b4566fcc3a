import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClinicalEvent, PathwayCommand, PathwayState } from '../src';
import { allowedOutcomes, openTasks } from '../src';
import { DAY, event, HOUR, Journey, propertyParams, propertyTimeout, T0 } from './support';

/**
 * docs/clinical-rules.md section 3 and 2.10a as properties over random journeys that include death, withdrawal
 * and decline in any position and any arrival order, duplicates, and repeated cycles (months of end
 * of life, several ACP and referral cycles). `npm test` runs 200 journeys per property from a fixed
 * seed; `TANDEM_PROPERTY_RUNS=10000 npm run test:unit -- properties` runs 10,000 from a random one.
 */
const params = propertyParams(200);
const journeysRun: Record<string, number> = {};
const counted = <T extends unknown[]>(name: string, check: (...args: T) => void) => {
  journeysRun[name] = 0;
  return (...args: T) => {
    journeysRun[name]!++;
    check(...args);
  };
};
afterAll(() => {
  process.stdout.write(
    `properties (seed ${params.seed}): ${Object.entries(journeysRun)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')} journeys\n`,
  );
});

const at = (hours: number) => T0 + hours * HOUR;
const hour = fc.integer({ min: -24 * 60, max: 24 * 200 });
const place = fc.constantFrom('home', 'hospice', 'hospital');

/** Clinical events with the exits among them: death, pathway withdrawal or refusal, declines. */
const diagnosisAt = (h: fc.Arbitrary<number>) =>
  h.map(
    (x) => (id: string) =>
      event('diagnosis.recorded', { cancerType: 'C25.0', advanced: true, diagnosedAt: new Date(at(x)).toISOString().slice(0, 10) }, at(x), id),
  );

type Weighted<T> = { weight: number; arbitrary: fc.Arbitrary<T> };
const weighted = <T>(...choices: Weighted<T>[]) => fc.oneof(...choices.filter((c) => c.weight > 0));

/** `enrolling: false` leaves out what enrols (a diagnosis) or may re-enrol (a transfer out and a new diagnosis). */
const clinical = (
  h: fc.Arbitrary<number>,
  o: { enrolling?: boolean; ownEncounters?: boolean } = { enrolling: true },
): fc.Arbitrary<(id: string) => ClinicalEvent> =>
  weighted<(id: string) => ClinicalEvent>(
    {
      weight: o.enrolling ? 2 : 0,
      arbitrary: h.map(
        (x) => (id: string) =>
          event('diagnosis.recorded', { cancerType: 'C25.0', advanced: true, diagnosedAt: new Date(at(x)).toISOString().slice(0, 10) }, at(x), id),
      ),
    },
    {
      weight: 4,
      arbitrary: fc
        .record({ x: h, pain: fc.integer({ min: 0, max: 10 }), depression: fc.integer({ min: 0, max: 10 }), tiredness: fc.integer({ min: 0, max: 10 }) })
        .map(
          ({ x, ...scores }) =>
            (id: string) =>
              event('prom.submitted', { instrument: 'ESAS-r', responseId: `r-${id}`, scores }, at(x), id),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, distress: fc.integer({ min: 0, max: 10 }) }).map(
        ({ x, distress }) =>
          (id: string) =>
            event('prom.submitted', { instrument: 'DT', responseId: `d-${id}`, scores: { distress } }, at(x), id),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record({ x: h, flag: fc.constantFrom('delirium', 'existential-crisis', 'spinal-cord-compression', 'patient-request') }).map(
        ({ x, flag }) =>
          (id: string) =>
            event('clinical.flag', { flag }, at(x), id),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record({ x: h, ecog: fc.integer({ min: 0, max: 4 }) }).map(
        ({ x, ecog }) =>
          (id: string) =>
            event('performance.recorded', { ecog }, at(x), id),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, months: fc.constantFrom(0.5, 2, 6, 18) }).map(
        ({ x, months }) =>
          (id: string) =>
            event('prognosis.estimated', { months }, at(x), id),
      ),
    },
    { weight: 2, arbitrary: h.map((x) => (id: string) => event('sact.administered', {}, at(x), id)) },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, enc: fc.constantFrom('e1', 'e2', 'e3') }).map(
        ({ x, enc }) =>
          (id: string) =>
            event('encounter.admitted', { encounterId: o.ownEncounters ? `enc-${id}` : enc, setting: 'emergency' }, at(x), id),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, enc: fc.constantFrom('e1', 'e2') }).map(
        ({ x, enc }) =>
          (id: string) =>
            event('encounter.discharged', { encounterId: o.ownEncounters ? `enc-${id}` : enc, destination: 'home' }, at(x), id),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, p: place }).map(
        ({ x, p }) =>
          (id: string) =>
            event('acp.documented', { preferredPlaceOfDeath: p }, at(x), id),
      ),
    },
    { weight: 1, arbitrary: h.map((x) => (id: string) => event('patient.dying', {}, at(x), id)) },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, p: place }).map(
        ({ x, p }) =>
          (id: string) =>
            event('patient.died', { placeOfDeath: p }, at(x), id),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, scope: fc.constantFrom('pathway', 'referral', 'proms'), decision: fc.constantFrom('withdrawn', 'declined') }).map(
        ({ x, scope, decision }) =>
          (id: string) =>
            event('consent.changed', { scope, decision }, at(x), id),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ x: h, c: fc.constantFrom('c1', 'c2') }).map(
        ({ x, c }) =>
          (id: string) =>
            event('caregiver.registered', { caregiverId: c, relationship: 'family', consentToShare: true }, at(x), id),
      ),
    },
    { weight: o.enrolling ? 1 : 0, arbitrary: h.map((x) => (id: string) => event('patient.transferred', { toOrganisation: 'North' }, at(x), id)) },
  );

type Step =
  | { kind: 'event'; make: (id: string) => ClinicalEvent }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'advance'; hours: number }
  | { kind: 'complete'; pick: number; outcome: number }
  | { kind: 'grant' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: clinical(hour).map((make) => ({ kind: 'event' as const, make })) },
  { weight: 1, arbitrary: fc.nat(40).map((pick) => ({ kind: 'duplicate' as const, pick })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 24 * 60 }).map((hours) => ({ kind: 'advance' as const, hours })) },
  { weight: 3, arbitrary: fc.record({ pick: fc.nat(20), outcome: fc.nat(5) }).map((c) => ({ kind: 'complete' as const, ...c })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'grant' as const }) },
);

const patientFacing = (commands: PathwayCommand[]) => commands.filter((c) => c.kind === 'notify' && c.notification.patientFacing);

/** Plays a journey, checking every step (timers one by one) with `check(before, commands, after)`. */
function play(steps: Step[], check: (before: PathwayState, commands: PathwayCommand[], after: PathwayState) => void): Journey {
  const j = new Journey();
  j.checkMemory = true; // typed task memory decides as the evidence it replaced did
  const sent: ClinicalEvent[] = [];
  const seen = new Set<string>(); // the workflow's de-duplication by event id (invariant 3)
  let n = 0;
  const deliver = (e: ClinicalEvent) => {
    if (seen.has(e.id)) return;
    seen.add(e.id);
    sent.push(e);
    const before = j.state;
    check(before, j.send(e), j.state);
  };
  for (const s of steps) {
    if (s.kind === 'event') deliver(s.make(`p-${++n}`));
    else if (s.kind === 'duplicate') {
      const e = sent[s.pick % Math.max(1, sent.length)];
      if (e) deliver(e); // a redelivery: dropped by the workflow, as it is here
    } else if (s.kind === 'grant') deliver(event('consent.changed', { scope: 'pathway', decision: 'granted' }, j.now, `p-${++n}`));
    else if (s.kind === 'advance') {
      const from = j.log.length;
      let before = j.state;
      const states: PathwayState[] = [];
      const original = j.log.push.bind(j.log);
      // Capture the state after every timer step.
      j.log.push = (...entries) => {
        states.push(j.state);
        return original(...entries);
      };
      j.advance(s.hours * HOUR);
      j.log.push = original;
      j.log.slice(from).forEach((entry, i) => {
        check(before, entry.commands, states[i]!);
        before = states[i]!;
      });
    } else {
      const open = openTasks(j.state);
      const task = open[s.pick % Math.max(1, open.length)];
      if (!task) continue;
      const outcomes = allowedOutcomes(task.type);
      const before = j.state;
      check(before, j.complete(task.type, outcomes[s.outcome % outcomes.length]!, task.subject), j.state);
    }
  }
  return j;
}

/**
 * No care silently dropped: every task the rules open has an id of its own (a repeated id would be
 * dropped by the step's writes), and those the pathway still carries are what was opened; every
 * notification id is its own.
 */
function nothingDropped(j: Journey): void {
  const all = j.all;
  const opened = all.flatMap((c) => (c.kind === 'open-task' ? [c] : []));
  expect(new Set(opened.map((c) => c.commandId)).size).toBe(opened.length);
  for (const c of opened) if (j.state.tasks[c.commandId]) expect(j.state.tasks[c.commandId]!.type).toBe(c.task.type);
  expect(j.outbox.size).toBe(all.filter((c) => c.kind === 'notify').length);
}

describe('properties of docs/clinical-rules.md section 3 and 2.10a', () => {
  it(
    'no patient contact once death or a withdrawal is known, in any position and arrival order',
    () => {
      fc.assert(
        fc.property(
          fc.array(step, { minLength: 5, maxLength: 50 }),
          counted('no-contact', (steps: Step[]) => {
            play(steps, (before, commands, after) => {
              const dead = before.clinical.diedAt !== undefined || after.clinical.diedAt !== undefined;
              const refused = after.consent.pathway.decision !== 'granted' || (before.stage === 'closed' && after.stage === 'closed');
              if (dead || refused)
                expect(
                  patientFacing(commands),
                  `stage ${before.stage} → ${after.stage}, died ${String(after.clinical.diedAt)}, pathway consent ${after.consent.pathway.decision}`,
                ).toEqual([]);
              if (after.consent.proms.decision !== 'granted')
                expect(commands.filter((c) => c.kind === 'notify' && c.notification.kind.startsWith('prom-'))).toEqual([]);
            });
          }),
        ),
        params,
      );
    },
    propertyTimeout(),
  );

  it(
    'at most one open task per (patient, type, subject), and nothing the rules open is dropped',
    () => {
      fc.assert(
        fc.property(
          fc.array(step, { minLength: 5, maxLength: 50 }),
          counted('one-open-task', (steps: Step[]) => {
            const j = play(steps, (_before, _commands, after) => {
              const keys = openTasks(after).map((t) => `${t.type}/${t.subject}`);
              expect(new Set(keys).size).toBe(keys.length);
              expect(
                openTasks(after).filter((t) => t.type === 'specialist-referral-proposal' || t.type === 'specialist-referral-triage').length,
              ).toBeLessThanOrEqual(1);
            });
            nothingDropped(j);
          }),
        ),
        params,
      );
    },
    propertyTimeout(),
  );

  it(
    'the daily end-of-life check lands on an open symptom-review every day, for months',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 2, max: 120 }),
          fc.array(fc.constantFrom('complete', 'leave', 'prom'), { minLength: 120, maxLength: 120 }),
          counted('end-of-life-days', (days: number, doings: string[]) => {
            const j = new Journey();
            j.send(event('diagnosis.recorded', { cancerType: 'C25.0', advanced: true, diagnosedAt: '2026-11-02' }, T0));
            j.send(event('patient.dying', {}, j.now));
            for (let day = 0; day < days; day++) {
              j.advance(DAY);
              const checkedAt = new Date(j.now).toISOString();
              const review = j.open('symptom-review');
              const updates = (review?.reason.evidence.updates as Array<{ rule: string; at: string }> | undefined) ?? [];
              const landed =
                review &&
                ((review.reason.rule === '2.8.eol.symptom-check' && review.openedAt === checkedAt) ||
                  updates.some((u) => u.rule === '2.8.eol.symptom-check' && u.at === checkedAt));
              expect(landed, `day ${day + 1}`).toBe(true);
              if (doings[day] === 'complete') j.complete('symptom-review', 'done');
              if (doings[day] === 'prom')
                j.send(event('prom.submitted', { instrument: 'ESAS-r', responseId: `r${day}`, scores: { pain: 8 } }, j.now, `eol-${day}`));
            }
            nothingDropped(j);
          }),
        ),
        params,
      );
    },
    propertyTimeout(),
  );

  it(
    'every ACP outcome is followed up on every cycle: re-offers, and the ready reminder',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom('not-ready', 'ready', 'documented', 'declined'), { minLength: 2, maxLength: 8 }),
          counted('acp-cycles', (outcomes: string[]) => {
            const j = new Journey();
            j.send(event('diagnosis.recorded', { cancerType: 'C25.0', advanced: true, diagnosedAt: '2026-11-02', medianSurvivalMonths: 60 }, T0));
            let readies = 0;
            outcomes.forEach((outcome, i) => {
              j.complete('acp-conversation', outcome);
              if (outcome === 'ready') readies++;
              if (outcome === 'declined') j.send(event('disease.progressed', { line: 1 }, j.now, `prog-${i}`)); // re-offered only at progression
              for (let d = 0; d < 183 && !j.open('acp-conversation'); d++) j.advance(DAY);
              expect(j.open('acp-conversation'), `cycle ${i + 1} (${outcome})`).toMatchObject({
                queue: 'oncology',
                reason: { rule: expect.stringMatching(/^2\.4\.acp\.reoffer-/) },
              });
            });
            const reminders = j.delivered('clinician-reminder').filter((n) => n.reason.rule === '2.4.acp.ready-reminder').length;
            expect(reminders).toBeLessThanOrEqual(readies);
            nothingDropped(j);
          }),
        ),
        params,
      );
    },
    propertyTimeout(),
  );

  it(
    'a declined referral is re-offered after 90 days on every cycle',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          counted('referral-cycles', (cycles: number) => {
            const j = new Journey();
            j.send(event('diagnosis.recorded', { cancerType: 'C25.0', advanced: true, diagnosedAt: '2026-11-02', medianSurvivalMonths: 60 }, T0));
            j.send(event('clinical.flag', { flag: 'patient-request' }, T0 + HOUR));
            for (let i = 0; i < cycles; i++) {
              j.complete('specialist-referral-proposal', 'declined');
              j.advance(90 * DAY);
              expect(j.open('specialist-referral-proposal'), `cycle ${i + 1}`).toMatchObject({
                priority: 'routine',
                reason: { rule: '2.3.referral.declined', evidence: { reoffer: true } },
              });
            }
            nothingDropped(j);
          }),
        ),
        params,
      );
    },
    propertyTimeout(),
  );

  it(
    'arrival order never changes the resulting tasks (exits included, duplicates redelivered)',
    () => {
      // One enrolling diagnosis among other events at distinct clinical times, exits included.
      const hours = fc.uniqueArray(fc.integer({ min: -24 * 60, max: 24 * 60 }), { minLength: 3, maxLength: 14 });
      fc.assert(
        fc.property(
          hours.chain((hs) =>
            fc.tuple(
              // Each admission its own encounter (the same encounter sent twice is a unit test of its own).
              fc.tuple(diagnosisAt(fc.constant(hs[0]!)), ...hs.slice(1).map((x) => clinical(fc.constant(x), { enrolling: false, ownEncounters: true }))),
              fc.shuffledSubarray(
                hs.map((_, i) => i),
                { minLength: hs.length },
              ),
              fc.nat(hs.length),
            ),
          ),
          counted('arrival-order', ([makers, order, dup]: [Array<(id: string) => ClinicalEvent>, number[], number]) => {
            const events = makers.map((make, i) => make(`o-${i}`));
            const byTime = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
            const arrival = [...order.map((i) => events[i]!), events[dup % events.length]!];
            const result = (sequence: ClinicalEvent[]) => {
              const j = new Journey();
              j.now = T0 + 61 * DAY; // every event is in the past when it arrives
              const seen = new Set<string>();
              for (const e of sequence) if (!seen.has(e.id) && seen.add(e.id)) j.send(e);
              return {
                stage: j.state.stage,
                open: openTasks(j.state)
                  .map((t) => `${t.type}/${t.subject}`)
                  .sort(),
              };
            };
            const described = (es: ClinicalEvent[]) => es.map((e) => `${e.type}${JSON.stringify(e.data)}@${(Date.parse(e.time) - T0) / HOUR}h`).join(', ');
            expect(result(arrival), `arrived: ${described(arrival)}`).toEqual(result(byTime));
          }),
        ),
        params,
      );
    },
    propertyTimeout(),
  );
});
