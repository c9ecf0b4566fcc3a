import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '@tandem/domain';
import {
  MAX_CAREGIVERS,
  MAX_EVENT_ID_LENGTH,
  MAX_EVENT_SOURCE_LENGTH,
  MAX_OPEN_TASKS,
  MAX_REFERENCE_LENGTH,
  openTasks,
  parseClinicalEvent,
  revisionOfChange,
} from '@tandem/domain';
import { DAY, HOUR, iso, Journey, propertyParams, T0 } from '@tandem/domain/test-support';
import { BoundedIdSet, DEDUPE_CAPACITY, DEDUPE_MAX_CHARS, eventKey } from '../src/bounded-set';
import type { PathwayCarryOver, PathwayProblem, PathwayView } from '../src/contract';
import { nextTimers, projectPathway } from '../src/projection';

/**
 * Issue 26, finding 3: whatever valid events arrive, a pathway's state, its continue-as-new
 * carry-over and both query answers stay well under Temporal's limits (a payload: 2 MB; a gRPC
 * message: 4 MB). Hostile but valid journeys: every id, source and reference at its maximal length,
 * made of the characters JSON escapes, at counts past every bound (caregivers, discharges, PROMs,
 * SACT doses), and staff who never close a task.
 */
const BUDGET_BYTES = 1024 * 1024;
const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

/** Printable text of exactly `n` characters, heavy in what JSON escapes (`"` and `\`) and multi-byte UTF-8. */
const maximal = (n: number) => fc.array(fc.constantFrom('"', '\\', 'é', 'x'), { minLength: n, maxLength: n }).map((cs) => cs.join(''));
const source = maximal(MAX_EVENT_SOURCE_LENGTH);

let n = 0;
function hostile(src: string, type: string, data: Record<string, unknown>, atMs: number): ClinicalEvent {
  n++;
  const id = `${n}`.padEnd(MAX_EVENT_ID_LENGTH, '"');
  const parsed = parseClinicalEvent({ specversion: '1.0', id, source: src, type, subject: 'pt-1', time: iso(atMs), data });
  if (!parsed.ok) throw new Error(`not a valid event: ${parsed.detail}`);
  return parsed.event;
}
const ref = (i: number, tag: string) => `${tag}${i}`.padEnd(MAX_REFERENCE_LENGTH, '\\');

const action = fc.constantFrom('caregiver', 'admit', 'discharge', 'prom', 'distress', 'sact', 'ecog', 'flag', 'acp', 'wait');
const journeyArb = fc.record({ source, actions: fc.array(action, { minLength: 230, maxLength: 260 }) });

const problems: PathwayProblem[] = Array.from({ length: 20 }, (_, i) => ({
  at: iso(T0),
  stepKey: ref(i, 'step'),
  type: 'data-exception',
  message: 'x'.repeat(512),
}));

describe('hostile but valid journeys stay under Temporal’s limits (issue 26, finding 3)', () => {
  it(`keeps the state, the carry-over and both query answers under ${BUDGET_BYTES / 1024} KB at maximal lengths and counts`, () => {
    const largest = { state: 0, carried: 0, stateQuery: 0, pathwayQuery: 0 };
    fc.assert(
      fc.property(journeyArb, ({ source: src, actions }) => {
        const j = new Journey();
        // The de-duplication window, already full of maximal keys (a flood before this journey).
        const seen = new BoundedIdSet(
          Array.from({ length: DEDUPE_CAPACITY }, (_, i) => eventKey({ source: src, id: ref(i, 'old') })),
          DEDUPE_CAPACITY,
          DEDUPE_MAX_CHARS,
        );
        const send = (e: ClinicalEvent) => {
          seen.add(eventKey(e));
          j.send(e);
        };
        send(hostile(src, 'patient.registered', { birthDate: '1950-01-01', preferredLanguage: 'x'.repeat(64), gpPracticeId: 'g'.repeat(64) }, T0 - DAY));
        send(hostile(src, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: iso(T0).slice(0, 10), stage: 's'.repeat(32) }, T0));
        actions.forEach((a, i) => {
          const at = j.now - HOUR;
          if (a === 'caregiver')
            send(hostile(src, 'caregiver.registered', { caregiverId: ref(i, 'cg'), relationship: 'r'.repeat(64), consentToShare: true }, at));
          else if (a === 'admit') send(hostile(src, 'encounter.admitted', { encounterId: ref(i, 'enc'), setting: 'emergency' }, at));
          else if (a === 'discharge') send(hostile(src, 'encounter.discharged', { encounterId: ref(i, 'enc'), destination: 'home' }, at));
          else if (a === 'prom')
            send(
              hostile(
                src,
                'prom.submitted',
                { instrument: 'ESAS-r', responseId: ref(i, 'resp'), requestId: ref(i, 'req'), scores: { pain: 9, depression: 8, anxiety: 9 } },
                at,
              ),
            );
          else if (a === 'distress') send(hostile(src, 'prom.submitted', { instrument: 'DT', responseId: ref(i, 'resp'), scores: { distress: 9 } }, at));
          else if (a === 'sact') send(hostile(src, 'sact.administered', { regimen: 'g'.repeat(128) }, at));
          else if (a === 'ecog') send(hostile(src, 'performance.recorded', { ecog: 3 }, at));
          else if (a === 'flag') send(hostile(src, 'clinical.flag', { flag: 'spinal-cord-compression' }, at));
          else if (a === 'acp') send(hostile(src, 'acp.documented', { preferredPlaceOfCare: 'p'.repeat(64), preferredPlaceOfDeath: 'home' }, at));
          else j.advance(2 * DAY);
          j.advance(HOUR);
        });
        const state = j.state;
        const view: PathwayView = { state, eventsSeen: seen.size, problems, nextTimers: nextTimers(state) };
        const carried: PathwayCarryOver = { state, seenEventIds: [], seenEvents: seen.toArray(), problems };
        const sizes = {
          state: bytes(state),
          carried: bytes({ patientId: 'pt-1', carried }),
          stateQuery: bytes(view),
          pathwayQuery: bytes(projectPathway(state, { eventsSeen: seen.size, problems })),
        };
        for (const k of Object.keys(sizes) as Array<keyof typeof sizes>) largest[k] = Math.max(largest[k], sizes[k]);
        // Events are refused past the bound; an overdue task's escalation (a timer, never refused) may add one more each.
        expect(openTasks(state).length).toBeLessThanOrEqual(2 * MAX_OPEN_TASKS);
        expect(state.caregivers.length).toBeLessThanOrEqual(MAX_CAREGIVERS);
        for (const [what, size] of Object.entries(sizes)) expect(size, what).toBeLessThan(BUDGET_BYTES);
      }),
      propertyParams(10),
    );
    process.stdout.write(`hostile bounds: largest sizes ${JSON.stringify(largest)} (budget ${BUDGET_BYTES})\n`);
  }, 240_000);

  it('is revision 7 that bounds it: the same flood of discharges and caregivers under revision 6 outgrows the budget', () => {
    const flood = (revision: number) => {
      const j = new Journey();
      j.state = { ...j.state, revision };
      const src = 'x'.repeat(MAX_EVENT_SOURCE_LENGTH);
      j.send(hostile(src, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: iso(T0).slice(0, 10) }, T0));
      for (let i = 0; i < 400; i++) {
        j.send(hostile(src, 'encounter.discharged', { encounterId: ref(i, 'enc'), destination: 'home' }, j.now - HOUR));
        if (i % 10 === 0) j.send(hostile(src, 'caregiver.registered', { caregiverId: ref(i, 'cg'), relationship: 'son', consentToShare: true }, j.now - HOUR));
        j.advance(HOUR);
      }
      return j.state;
    };
    const unbounded = flood(revisionOfChange('pathway-limits') - 1);
    const bounded = flood(revisionOfChange('pathway-limits'));
    expect(openTasks(unbounded).length).toBeGreaterThan(2 * MAX_OPEN_TASKS);
    expect(bytes(projectPathway(unbounded, { eventsSeen: 0, problems: [] }))).toBeGreaterThan(BUDGET_BYTES);
    expect(openTasks(bounded).length).toBeLessThanOrEqual(2 * MAX_OPEN_TASKS);
    expect(bounded.caregivers.length).toBeLessThanOrEqual(MAX_CAREGIVERS);
    expect(bytes(projectPathway(bounded, { eventsSeen: 0, problems: [] }))).toBeLessThan(BUDGET_BYTES);
  });

  it('parks the caregiver past the bound with its reason, applying nothing (revision 7)', () => {
    const j = new Journey();
    const src = 'ehr://test';
    j.send(hostile(src, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: iso(T0).slice(0, 10) }, T0));
    for (let i = 0; i < MAX_CAREGIVERS; i++)
      j.send(hostile(src, 'caregiver.registered', { caregiverId: ref(i, 'cg'), relationship: 'son', consentToShare: true }, T0));
    const before = j.state;
    const commands = j.send(hostile(src, 'caregiver.registered', { caregiverId: ref(99, 'cg'), relationship: 'son', consentToShare: true }, T0));
    expect(commands).toEqual([expect.objectContaining({ kind: 'park-event', reason: 'pathway-limit' })]);
    expect(j.state).toEqual(before);
  });
});
