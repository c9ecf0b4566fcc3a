/**
 * What each rules revision means, in one place (docs/rule-revisions.md is generated from this table).
 *
 * A pathway's decisions depend on the revision it runs under (`state.revision`): a history recorded
 * under one revision must replay with that revision's decisions. Every way the decisions of one
 * revision differ from the one before is a named change below, with the rules it touches. A rule
 * body asks whether a change is in force (`Decision.has`, `inForce`) and never compares revision
 * numbers: the next reader sees here, and only here, what a revision changed.
 */

/** Every change a revision brought, by name: its revision, the rules it touches and what it does. */
export const REVISION_CHANGES = {
  // Revision 4 (ADR 0011): pathway lifetime and event order (docs/clinical-rules.md 2.10a).
  'cycle-keys': {
    revision: 4,
    rules: ['2.10a'],
    what: "command ids name their cycle (a repeating timer's due time) and a task's type and subject, and no two commands of a step share an id, so repeating rules repeat",
  },
  'clinical-order': {
    revision: 4,
    rules: ['2.10a', '2.5', '2.1'],
    what: 'late events are judged by clinical time: readings, doses, responses, ACP documents and diagnoses kept in clinical order; a dose judged by the readings in force at its time; a late poor reading judges the doses after it again',
  },
  'closure-stays': {
    revision: 4,
    rules: ['2.10a', '2.9'],
    what: 'a closed pathway stays closed, remembers why (bereavement complete, withdrawn, declined, transferred) and decides nothing; only a new advanced diagnosis after a transfer or a renewed consent re-enrols; a transfer clinically before the enrolment is history',
  },
  'answers-its-request': {
    revision: 4,
    rules: ['2.2'],
    what: "a PROM response settles only the request it answers (its ladder, its not-returned task, a pending follow-up), not whatever is outstanding",
  },
  'one-admission-per-encounter': {
    revision: 4,
    rules: ['2.6'],
    what: 'the same encounter sent twice is one admission: notified, counted and recorded once',
  },
  'held-events-parked': {
    revision: 4,
    rules: ['2.10a'],
    what: 'events past the limit held before enrolment are parked with their reason (before, the oldest were dropped)',
  },
  'findings-after-completion': {
    revision: 4,
    rules: ['2.1'],
    what: 'findings that joined a symptom review after it was completed are reviewed again',
  },
  'referral-follows-through': {
    revision: 4,
    rules: ['2.3', '2.10'],
    what: 'an urgency raised while a referral was proposed travels to its triage; long survival stops the time-based referral clock; declining referral consent ends a referral already sent',
  },
  'acp-as-a-process': {
    revision: 4,
    rules: ['2.4'],
    what: "a documented plan closes the 'ready' escalation; a conversation that goes on after a decline starts the 6-month re-offer again; the code status is recorded",
  },
  'ladder-per-due-time': {
    revision: 4,
    rules: ['2.8', '2.11'],
    what: 'an update that keeps the due time does not restart the reminder ladder; at end of life the on-call delay is the end-of-life policy\'s',
  },
  'bereavement-per-caregiver': {
    revision: 4,
    rules: ['2.7', '2.9'],
    what: "a death opens each caregiver's bereavement contact once, also for caregivers registered after it (who are assessed too); the place of death is recorded; the 'identify the family' contact closes once a caregiver is registered",
  },
  // Revision 5 (ADR 0012): the facts the operations measures need (docs/clinical-rules.md 4).
  'measure-facts': {
    revision: 5,
    rules: ['4'],
    what: 'PROM requests and answers, severe scores and the review that answers them, follow-up scores and birth dates are recorded as facts',
  },
  // Revision 6 (ADR 0014): bounded cost per patient.
  compaction: {
    revision: 6,
    rules: ['3'],
    what: "what a pathway carries is bounded: closed tasks kept slim (the latest 20), an open task's evidence updates and the unplanned admissions capped; ids of tasks opened on a completion no longer nest",
  },
  // Revision 7 (docs/security.md): trust at the door.
  'pathway-limits': {
    revision: 7,
    rules: ['2.10a'],
    what: 'at most 60 open tasks and 20 caregivers: an event past either is parked as pathway-limit',
  },
  'park-by-identity': {
    revision: 7,
    rules: ['2.10a'],
    what: 'parked events are keyed by their identity (source and id), so two sources\' events with one id are parked apart',
  },
  'severe-answer-at-closure': {
    revision: 7,
    rules: ['2.10.closure.severe-answer'],
    what: "a severe answer given before a transfer or withdrawal reaches a person: its review is kept (or opened) and worked to the end; the diagnosis's clinical time is kept for it",
  },
} as const satisfies Record<string, { revision: number; rules: readonly string[]; what: string }>;

export type RevisionChange = keyof typeof REVISION_CHANGES;

/** The revisions, each with when it came and the decision that records why. */
export const REVISIONS = {
  3: { since: '2026-11', decision: 'ADR 0007', what: 'the baseline: every rule of sections 2.1-2.11; no revision recorded in the state' },
  4: { since: '2026-12-01', decision: 'ADR 0011', what: 'pathway lifetime and event order' },
  5: { since: '2026-12-01', decision: 'ADR 0012', what: 'the facts the measures need' },
  6: { since: '2026-12-01', decision: 'ADR 0014', what: 'bounded cost per patient' },
  7: { since: '2026-12-07', decision: 'docs/security.md', what: 'trust at the door' },
} as const;

export type RulesRevision = keyof typeof REVISIONS;

/** The revision new pathways start at. */
export const RULES_REVISION = 7 satisfies RulesRevision;
/** The revision of states recorded before revisions existed (they carry none). */
export const LEGACY_RULES_REVISION = 3 satisfies RulesRevision;
/** The first revision in which a closed pathway stays closed (docs/clinical-rules.md 2.10a). */
export const STAYING_REVISION = REVISION_CHANGES['closure-stays'].revision;

/** The changes in force under each revision: its own and every earlier one's. */
const IN_FORCE: ReadonlyMap<number, ReadonlySet<RevisionChange>> = new Map(
  Object.keys(REVISIONS).map((r) => [
    Number(r),
    new Set((Object.keys(REVISION_CHANGES) as RevisionChange[]).filter((c) => REVISION_CHANGES[c].revision <= Number(r))),
  ]),
);

/** The revision a state runs under (states recorded before revisions existed run under 3). */
export const revisionOf = (s: { revision?: number }): number => s.revision ?? LEGACY_RULES_REVISION;

/** The changes in force for a pathway: looked up once per step by the engine and the Decision. */
export function changesInForce(s: { revision?: number }): ReadonlySet<RevisionChange> {
  const changes = IN_FORCE.get(revisionOf(s));
  if (!changes) throw new Error(`unknown rules revision ${revisionOf(s)}`);
  return changes;
}

/** Whether a change is in force for a pathway. */
export const inForce = (s: { revision?: number }, change: RevisionChange): boolean => changesInForce(s).has(change);

/** The first revision in which a change is in force (for tests that compare before and after it). */
export const revisionOfChange = (change: RevisionChange): number => REVISION_CHANGES[change].revision;

/** The state's `revision` field for a new pathway: states of the baseline carry none. */
export const revisionField = (revision: number): { revision?: number } => (revision === LEGACY_RULES_REVISION ? {} : { revision });

/** The table of docs/rule-revisions.md: each revision, and each change it brought with its rules. */
export function revisionsTable(): string {
  const rows = (Object.keys(REVISIONS) as unknown as RulesRevision[]).flatMap((r) => {
    const rev = REVISIONS[r];
    const changes = (Object.keys(REVISION_CHANGES) as RevisionChange[]).filter((c) => REVISION_CHANGES[c].revision === Number(r));
    const head = `| ${r} | **${rev.what}** | | | ${rev.since} | ${rev.decision} |`;
    return [head, ...changes.map((c) => `| | | \`${c}\` | ${REVISION_CHANGES[c].what} (${REVISION_CHANGES[c].rules.join(', ')}) | | |`)];
  });
  return ['| revision | what it is about | change | what changed (rules) | since | decision |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
