import { join } from 'node:path';
import { RULE_CATALOGUE, STAYING_REVISION } from '@tandem/domain';
import { writeOrCheck } from './generated-doc';
import { repoRoot } from './paths';

/**
 * docs/clinical-rules.md: the clinical rules Tandem implements, in words, each with its rule id
 * (the `reason.rule` of every task, notification and fact) and its sources. The rule lists come
 * from RULE_CATALOGUE, so the document cannot name a rule the engine lacks or miss one it has.
 *   npm run -s clinical-rules             write the document
 *   npm run -s clinical-rules -- --check  fail if it is out of date
 */
export const CLINICAL_RULES_DOC = join(repoRoot, 'docs', 'clinical-rules.md');

const SOURCES = {
  K: 'Kaasa S. et al., *Integration of oncology and palliative care: a Lancet Oncology Commission* (2018), as summarised with its Figures 2 and 3',
  E: 'ESMO guidance on the integration of supportive and palliative care with oncology',
  R: 'Bradley N. et al., *Integrated palliative care and oncology: a realist synthesis*, BMC Medicine, and its Table 2 of recommendations',
  S: 'A scoping review of integrated primary and secondary care for people living with cancer',
} as const;

interface Section {
  id: string;
  title: string;
  sources: Array<keyof typeof SOURCES>;
  text: string;
}

const SECTIONS: Section[] = [
  {
    id: '2.1',
    title: 'At enrolment',
    sources: ['K', 'E', 'R'],
    text: 'An advanced or incurable cancer diagnosis (`diagnosis.recorded` with `advanced: true`) enrols the patient. A named key worker is assigned, the baseline symptom questionnaires go to the patient at once, the oncology team is asked for a first psychosocial assessment, for an explanation of palliative care and the 24/7 number, and to start advance care planning; the GP is told.',
  },
  {
    id: '2.2',
    title: 'Symptom questionnaires (PROMs) and the closed loop',
    sources: ['K', 'E'],
    text: 'ESAS-r and the Distress Thermometer are sent at least monthly, with two reminders and then a call task for the coordinator. Scores are banded (0 none, 1–3 mild, 4–6 moderate, 7–10 severe). A patient has at most one open symptom review: new findings join it and raise its priority. When a review is completed a follow-up questionnaire goes out after 7 days; a symptom still severe then escalates to the specialist palliative team.',
  },
  {
    id: '2.3',
    title: 'Referral to specialist palliative care',
    sources: ['K'],
    text: 'Needs-based criteria (severe symptoms, hastened-death requests, delirium, cord compression, …) and time-based criteria (3 months after an advanced diagnosis when median survival is a year or less; progression despite second-line therapy) first open a proposal to agree with the patient. An agreed proposal sends the referral as a triage task whose deadline follows its urgency. There is one referral at a time; a new criterion adds its evidence and may raise the urgency.',
  },
  {
    id: '2.4',
    title: 'Advance care planning',
    sources: ['K'],
    text: 'ACP is a process: offered at enrolment, again at progression and every 6 months. “Not ready” is re-offered after 90 days, “declined” only at progression; “ready” with nothing documented after 30 days reminds the oncology team and after 45 days escalates. What is documented is shared with the GP.',
  },
  {
    id: '2.5',
    title: 'Hospice and treatment-intensity safeguards',
    sources: ['K'],
    text: 'A prognosis of 3 months or less, or ECOG 3–4, prompts a hospice-referral discussion. Systemic anticancer therapy given while ECOG is 3–4, or with a prognosis under a month, needs an urgent MDT review.',
  },
  {
    id: '2.6',
    title: 'Care transitions and the MDT',
    sources: ['K', 'S', 'R'],
    text: 'Admissions are told to the key worker and the palliative team; discharges home to the GP, with a community-nursing follow-up (within a day for people who live alone). Two unplanned admissions within 30 days (clinical time) call for an MDT review. Progression invites the GP to the next case discussion and repeats the Distress Thermometer.',
  },
  {
    id: '2.7',
    title: 'Caregivers',
    sources: ['K', 'R'],
    text: 'Each registered caregiver is assessed within 30 days and told how to reach the clinic; high distress leads to a psychosocial referral.',
  },
  {
    id: '2.8',
    title: 'End of life',
    sources: ['K', 'R'],
    text: 'When dying is recognised routine questionnaires stop, an urgent end-of-life care plan opens, the GP and community nursing are told, and a symptom check opens (or joins) a symptom review every day; an unanswered one goes to on-call an hour after it is due, day or night.',
  },
  {
    id: '2.9',
    title: 'Death and bereavement',
    sources: ['K'],
    text: 'At once every patient-facing request stops and the patient’s open tasks are cancelled (never a caregiver’s own). The place of death is compared with the documented preference. Each caregiver is contacted within 14 days, checked in with at 6–8 weeks, and screened for prolonged grief at 6 and 13 months; with no caregiver registered the key worker is asked to identify the family. The pathway closes when the last of these is done.',
  },
  {
    id: '2.10',
    title: 'Consent and exits',
    sources: ['K'],
    text: 'Patients may decline questionnaires, decline referral or withdraw; each stops the affected work at once. Withdrawal (or refusal) of the pathway and a transfer out close the pathway, keeping its record.',
  },
  {
    id: '2.11',
    title: 'Reminders and escalations',
    sources: ['R'],
    text: 'Every task has a queue, a priority, a due time and a reason. At the due time its queue is reminded; after a grace period (half its allowance, 1 hour to 2 days) it escalates to service leads — urgent clinical tasks and every task at end of life go to on-call an hour after due instead. Closing a task stops its ladder and closes its escalation.',
  },
  {
    id: '4',
    title: 'Facts for the measures',
    sources: ['R', 'K', 'E'],
    text: 'The facts the operations measures are computed from are recorded as they happen, by clinical time.',
  },
];

const ORDER_AND_LIFETIME = `## 2.10a Pathway lifetime and event order (rules revision ${STAYING_REVISION})

Events are judged in clinical order, whatever order they arrive in:

- **A closed pathway stays closed and remembers why** (bereavement complete, withdrawn, declined,
  transferred). Later events are kept in the event log and on the pathway but open nothing and
  contact nobody. Two exceptions: after a withdrawal or refusal, consent to the pathway granted again
  re-enrols; after a transfer out, an advanced diagnosis clinically after the transfer re-enrols.
  After a death nothing re-enrols. Once its duties are over (nothing open, no follow-up pending),
  the pathway's workflow ends and the closure is kept in PostgreSQL, so this holds without a running
  workflow: only the two re-enrolments start it again (ADR 0017).
- **A severe answer given before a transfer or withdrawal reaches a person** (rules revision 7,
  \`2.10.closure.severe-answer\`): the closure leaves its urgent symptom review open, with its
  reminders, saying why; a severe answer clinically before the closure that arrives after it opens
  that review. An answer clinically after the closure opens nothing. A death cancels them (2.9).
- **A death or a withdrawal known before the diagnosis** means the diagnosis enrols nobody and
  contacts nobody; a death still starts the family’s bereavement follow-up.
- **Late events change the judgement they belong to**: a late ECOG 3–4 or short prognosis
  clinically before a SACT dose opens that dose’s MDT review (and a reading taken closer to the dose
  that shows it was within the safeguards withdraws a review opened on an older one); a late ACP
  document never overwrites newer ACP facts; a median survival above 12 months recorded after
  enrolment stops the time-based referral clock; a late questionnaire is compared with the responses
  either side of it.
- **Every repeating rule repeats**: the daily end-of-life check, ACP and referral re-offers, the ACP
  “ready” reminder and escalation, questionnaire schedules — on every cycle, not only the first.
- **A raised urgency travels**: a proposal raised to urgent sends an urgent triage; declining
  referral consent also closes a triage already sent.
- **A response answers its own request**: a Distress Thermometer in between does not settle a
  pending closed-loop follow-up.
- **Nothing is lost**: events held while waiting for an enrolling diagnosis are parked on the
  dead-letter topic with their reason past the holding limit, and come back with \`npm run dlq:replay\`.
`;

const INVARIANTS = `## 3 Safety invariants

These hold under any event order, duplicates and faults, and are checked as properties over
random journeys (\`libs/domain/test/properties-2-10a.test.ts\`, \`libs/domain/test/invariants.test.ts\`):

1. No contact with a patient after their death is known.
2. A withdrawn consent is respected from the moment it is known.
3. The same event delivered twice has the effect of one.
4. At most one open task per (patient, task type, subject); at most one open specialist referral.
5. Every task and notification names the rule (below) and the evidence that caused it.
6. Rules judge by the event’s own clinical time, not by arrival.
7. No clinical event is lost: what cannot be processed is parked with its reason and can be replayed.
`;

export function clinicalRulesDocument(): string {
  const ids = Object.keys(RULE_CATALOGUE) as Array<keyof typeof RULE_CATALOGUE>;
  const inSection = (s: Section) => ids.filter((id) => id.startsWith(`${s.id}.`));
  const listed = new Set(SECTIONS.flatMap(inSection));
  const unlisted = ids.filter((id) => !listed.has(id));
  if (unlisted.length) throw new Error(`rules without a section in infra/src/clinical-rules.ts: ${unlisted.join(', ')}`);
  const parts = [
    '# Tandem’s clinical rules',
    '',
    '<!-- Generated by `npm run -s clinical-rules` from RULE_CATALOGUE (libs/domain/src/rules/catalogue.ts); do not edit by hand. -->',
    '',
    'Tandem follows each person with advanced cancer on an integrated palliative care pathway. These',
    'are the rules it applies, in words. Each has an id — the `reason.rule` every task, notification and',
    'fact carries, with its evidence — and the sources it rests on. Every number (due times, thresholds,',
    'intervals) is a default of the pathway policy (`libs/domain/policy/default-policy.yaml`) that a',
    'site may change.',
    '',
    ...SECTIONS.flatMap((s) => [
      `## ${s.id} ${s.title}`,
      '',
      s.text,
      '',
      `Sources: ${s.sources.map((k) => `[${k}]`).join(', ')}.`,
      '',
      '| rule id | what it does |',
      '|---|---|',
      ...inSection(s).map((id) => `| \`${id}\` | ${RULE_CATALOGUE[id]} |`),
      '',
    ]),
    ORDER_AND_LIFETIME,
    INVARIANTS,
    '## Sources',
    '',
    ...Object.entries(SOURCES).map(([k, v]) => `- **[${k}]** ${v}.`),
    '',
  ];
  return parts.join('\n');
}

function main(): void {
  writeOrCheck(CLINICAL_RULES_DOC, clinicalRulesDocument(), 'RULE_CATALOGUE', 'npm run -s clinical-rules');
}

if (require.main === module) main();
