import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClinicalEvent, PathwayCommand, PathwayState } from '../src';
import { allowedOutcomes, RULE_CATALOGUE } from '../src';
import { DAY, event, HOUR, Journey, propertyParams, propertyTimeout, T0 } from './support';

/**
 * docs/clinical-rules.md section 3, as properties over random journeys: events of every type in random clinical
 * order, duplicates, random clock advances (firing timers) and random task completions.
 */
const t = (offsetHours: number) => T0 + offsetHours * HOUR;
const place = fc.constantFrom('home', 'hospice', 'hospital', 'care-home');
const when = fc.integer({ min: 0, max: 24 * 400 });

const anEvent: fc.Arbitrary<() => ClinicalEvent> = fc.oneof(
  fc.record({ at: when, median: fc.option(fc.integer({ min: 1, max: 30 })) }).map(
    ({ at, median }) =>
      () =>
        event(
          'diagnosis.recorded',
          { cancerType: 'C34.9', advanced: true, diagnosedAt: new Date(t(at)).toISOString().slice(0, 10), ...(median ? { medianSurvivalMonths: median } : {}) },
          t(at),
        ),
  ),
  fc.record({ at: when, pain: fc.integer({ min: 0, max: 10 }), anxiety: fc.integer({ min: 0, max: 10 }), wellbeing: fc.integer({ min: 0, max: 10 }) }).map(
    ({ at, ...scores }) =>
      () =>
        event('prom.submitted', { instrument: 'ESAS-r', responseId: `r${at}`, scores }, t(at)),
  ),
  fc.record({ at: when, distress: fc.integer({ min: 0, max: 10 }) }).map(
    ({ at, distress }) =>
      () =>
        event('prom.submitted', { instrument: 'DT', responseId: `d${at}`, scores: { distress } }, t(at)),
  ),
  fc
    .record({
      at: when,
      flag: fc.constantFrom('delirium', 'spinal-cord-compression', 'existential-crisis', 'patient-request', 'brain-metastases', 'hastened-death-request'),
    })
    .map(
      ({ at, flag }) =>
        () =>
          event('clinical.flag', { flag }, t(at)),
    ),
  fc.record({ at: when, line: fc.integer({ min: 1, max: 3 }) }).map(
    ({ at, line }) =>
      () =>
        event('disease.progressed', { line }, t(at)),
  ),
  fc.record({ at: when, ecog: fc.integer({ min: 0, max: 4 }) }).map(
    ({ at, ecog }) =>
      () =>
        event('performance.recorded', { ecog }, t(at)),
  ),
  fc.record({ at: when, months: fc.double({ min: 0, max: 24, noNaN: true }) }).map(
    ({ at, months }) =>
      () =>
        event('prognosis.estimated', { months }, t(at)),
  ),
  when.map((at) => () => event('sact.administered', {}, t(at))),
  fc.record({ at: when, setting: fc.constantFrom('inpatient', 'emergency', 'icu') }).map(
    ({ at, setting }) =>
      () =>
        event('encounter.admitted', { encounterId: `e${at}`, setting }, t(at)),
  ),
  fc.record({ at: when, destination: fc.constantFrom('home', 'hospice') }).map(
    ({ at, destination }) =>
      () =>
        event('encounter.discharged', { encounterId: `e${at}`, destination }, t(at)),
  ),
  when.map((at) => () => event('palliative.contact', { team: 'specialist' }, t(at))),
  fc.record({ at: when, p: place }).map(
    ({ at, p }) =>
      () =>
        event('acp.documented', { preferredPlaceOfDeath: p }, t(at)),
  ),
  fc.record({ at: when, id: fc.constantFrom('c1', 'c2') }).map(
    ({ at, id }) =>
      () =>
        event('caregiver.registered', { caregiverId: id, relationship: 'family', consentToShare: true }, t(at)),
  ),
  fc.record({ at: when, scope: fc.constantFrom('proms', 'referral', 'pathway'), decision: fc.constantFrom('granted', 'declined', 'withdrawn') }).map(
    ({ at, scope, decision }) =>
      () =>
        event('consent.changed', { scope, decision }, t(at)),
  ),
  when.map((at) => () => event('patient.dying', {}, t(at))),
  fc.record({ at: when, p: place }).map(
    ({ at, p }) =>
      () =>
        event('patient.died', { placeOfDeath: p }, t(at)),
  ),
);

type Action =
  | { kind: 'event'; make: () => ClinicalEvent }
  | { kind: 'duplicate'; index: number }
  | { kind: 'advance'; hours: number }
  | { kind: 'complete'; pick: number; outcome: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: anEvent.map((make) => ({ kind: 'event' as const, make })) },
  { weight: 1, arbitrary: fc.nat(50).map((index) => ({ kind: 'duplicate' as const, index })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 24 * 40 }).map((hours) => ({ kind: 'advance' as const, hours })) },
  { weight: 3, arbitrary: fc.record({ pick: fc.nat(20), outcome: fc.nat(5) }).map((a) => ({ kind: 'complete' as const, ...a })) },
);

/** A symptom review a closure by transfer or withdrawal left open, or a late severe answer opened (2.10.closure.severe-answer). */
function keptAtClosure(s: PathwayState, t: PathwayState['tasks'][string] | undefined): boolean {
  if (!t || t.type !== 'symptom-review' || t.priority !== 'urgent' || s.clinical.diedAt !== undefined) return false;
  return t.reason.rule === '2.10.closure.severe-answer' || t.reason.evidence.keptOpenAtClosure !== undefined;
}

/** What a closed pathway may still do: the kept reviews (their facts, their ladder, their end) and nothing patient-facing. */
function closedPathwayMay(after: PathwayState, c: PathwayCommand): boolean {
  switch (c.kind) {
    case 'open-task':
      return c.task.type === 'escalation' ? c.task.reason.rule.startsWith('2.11.ladder.') : keptAtClosure(after, after.tasks[c.commandId]);
    case 'update-task':
      return keptAtClosure(after, after.tasks[c.target]);
    case 'notify':
      return !c.notification.patientFacing && c.notification.reason.rule === '2.11.ladder.remind';
    case 'record-fact':
      return c.fact.reason.rule === '2.10.closure.severe-answer';
    case 'close-task':
      return c.rule === '2.9.death.cancel' || c.rule === '2.11.ladder.resolve';
    case 'schedule-timer':
    case 'cancel-timer':
      return c.timerId.startsWith('overdue:');
    default:
      return false;
  }
}

/** The invariants that must hold for the commands of one step, given the state before it. */
function checkStep(before: PathwayState, commands: PathwayCommand[], after: PathwayState): void {
  for (const c of commands) {
    // 5. every task and notification is traced to a catalogued rule and its evidence
    if (c.kind === 'open-task') {
      expect(RULE_CATALOGUE).toHaveProperty([c.task.reason.rule]);
      expect(Object.keys(c.task.reason.evidence).length).toBeGreaterThan(0);
    }
    if (c.kind === 'notify') expect(RULE_CATALOGUE).toHaveProperty([c.notification.reason.rule]);
    if (c.kind === 'close-task') expect(RULE_CATALOGUE).toHaveProperty([c.rule]);
    // 1. no contact with the patient once death is known
    if (before.clinical.diedAt !== undefined) expect(c.kind === 'notify' && c.notification.patientFacing).toBe(false);
    // 2. consent respected from the moment it is known
    if (before.consent.proms.decision !== 'granted' || after.consent.proms.decision !== 'granted') {
      expect(c.kind === 'notify' && c.notification.kind.startsWith('prom-')).toBe(false);
    }
    if (after.consent.referral.decision !== 'granted') expect(c.kind === 'open-task' && c.task.type === 'specialist-referral-proposal').toBe(false);
  }
  // A closed pathway decides nothing — unless the step re-enrols it (docs/clinical-rules.md 2.10a) — but
  // for one kind of work (revision 7, 2.10.closure.severe-answer): the urgent symptom review of a
  // severe answer given before a transfer or withdrawal, and that review's ladder. Nothing patient-facing.
  if (before.stage === 'closed' && after.stage === 'closed') for (const c of commands) expect(closedPathwayMay(after, c), JSON.stringify(c)).toBe(true);
  if (after.stage === 'closed')
    for (const t of Object.values(after.tasks).filter((x) => x.status === 'open'))
      expect(keptAtClosure(after, t.type === 'escalation' ? after.tasks[t.subject.replace(/^escalated:/, '')] : t), t.commandId).toBe(true);
  // 4. one open task per (type, subject); one open referral; one open symptom review
  const open = Object.values(after.tasks).filter((x) => x.status === 'open');
  const keys = open.map((x) => `${x.type}/${x.subject}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(
    open.filter((x) => x.type === 'specialist-referral-proposal' || x.type === 'specialist-referral-triage').map((x) => `${x.type}:${x.reason.rule}`),
  ).toHaveLength(Math.min(1, open.filter((x) => x.type === 'specialist-referral-proposal' || x.type === 'specialist-referral-triage').length));
  expect(open.filter((x) => x.type === 'symptom-review').map((x) => x.subject)).toHaveLength(
    Math.min(1, open.filter((x) => x.type === 'symptom-review').length),
  );
}

function run(actions: Action[]): void {
  const j = new Journey();
  // Typed task memory decides as the evidence it replaced did (libs/domain/src/pathway/memory.ts).
  j.checkMemory = true;
  const sent: ClinicalEvent[] = [];
  const seen = new Set<string>(); // the workflow's de-duplication by event id (invariant 3)
  for (const a of actions) {
    const before = j.state;
    let commands: PathwayCommand[] = [];
    if (a.kind === 'event' || a.kind === 'duplicate') {
      const e = a.kind === 'event' ? a.make() : sent[a.index % Math.max(1, sent.length)];
      if (!e) continue;
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      sent.push(e);
      commands = j.send(e);
    } else if (a.kind === 'advance') {
      // Timers fire one by one: check each step of the way.
      const from = j.log.length;
      j.advance(a.hours * HOUR);
      let state = before;
      for (const entry of j.log.slice(from)) {
        const next = entry === j.log[j.log.length - 1] ? j.state : undefined;
        checkStep(state, entry.commands, next ?? j.state);
        state = next ?? state;
      }
      continue;
    } else {
      const open = Object.values(j.state.tasks).filter((x) => x.status === 'open');
      const task = open[a.pick % Math.max(1, open.length)];
      if (!task) continue;
      const outcomes = allowedOutcomes(task.type);
      commands = j.complete(task.type, outcomes[a.outcome % outcomes.length]!, task.subject);
    }
    checkStep(before, commands, j.state);
  }
}

describe('safety invariants (docs/clinical-rules.md section 3) over random journeys', () => {
  it(
    'hold for random event sequences with duplicates, reordering, timers and completions',
    () => {
      fc.assert(
        fc.property(fc.array(action, { minLength: 5, maxLength: 60 }), (actions) => run(actions)),
        propertyParams(300),
      );
    },
    propertyTimeout(),
  );

  it(
    'hold after an advanced diagnosis (most rules live only on an active pathway)',
    () => {
      const withDiagnosis = fc.array(action, { minLength: 5, maxLength: 60 }).map((rest): Action[] => [
        {
          kind: 'event',
          make: () => event('diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: new Date(T0).toISOString().slice(0, 10) }, T0),
        },
        ...rest,
      ]);
      fc.assert(
        fc.property(withDiagnosis, (actions) => run(actions)),
        propertyParams(300),
      );
    },
    propertyTimeout(),
  );

  it(
    'never contacts the patient after death, however late other events arrive',
    () => {
      const afterDeath = fc.array(anEvent, { maxLength: 20 }).map((events) => events);
      fc.assert(
        fc.property(afterDeath, fc.integer({ min: 1, max: 24 * 30 }), (events, gap) => {
          const j = new Journey();
          j.send(event('diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: '2026-11-02' }, T0));
          j.send(event('patient.died', { placeOfDeath: 'home' }, T0 + DAY));
          const out = [...events.flatMap((make) => j.send(make())), ...j.advance(gap * HOUR)];
          expect(out.filter((c) => c.kind === 'notify' && c.notification.patientFacing)).toEqual([]);
        }),
        propertyParams(200),
      );
    },
    propertyTimeout(),
  );
});
