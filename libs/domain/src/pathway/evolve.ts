import type { ClinicalEvent } from '../events/envelope';
import type { PathwayInput } from './inputs';
import type { PathwayState } from './state';
import { inClinicalOrder, isActive, isDead, isRepeatAdmission } from './state';
import type { RevisionChange } from '../revisions/table';
import { changesInForce } from '../revisions/table';
import { answersRequest } from './prom-requests';

const later = (a: string | undefined, b: string) => a === undefined || Date.parse(b) >= Date.parse(a);

/** The facts an event establishes, judged by its clinical time (late events do not overwrite newer facts). */
function evolveEvent(s: PathwayState, e: ClinicalEvent): PathwayState {
  const changes = changesInForce(s);
  const has = (c: RevisionChange) => changes.has(c);
  switch (e.type) {
    case 'patient.registered':
      return { ...s, patient: { ...s.patient, livesAlone: e.data.livesAlone, registeredEventId: e.id } };
    case 'diagnosis.recorded': {
      const diagnosis = {
        cancerType: e.data.cancerType,
        diagnosedAt: e.data.diagnosedAt,
        eventId: e.id,
        medianSurvivalMonths: e.data.medianSurvivalMonths,
        // Its clinical time, for a pathway refused before the diagnosis arrived (rules/closure.ts).
        ...(has('severe-answer-at-closure') ? { at: e.time } : {}),
      };
      if (has('closure-stays')) return diagnosed(s, e.data.advanced, diagnosis, e.time);
      if (!e.data.advanced || s.stage !== 'none') return s;
      return { ...s, stage: 'enrolled', enrolledAt: e.time, diagnosis };
    }
    case 'treatment.started':
      return { ...s, stage: s.stage === 'enrolled' ? 'concurrent-care' : s.stage, clinical: { ...s.clinical, onSystemicTherapy: true } };
    case 'performance.recorded': {
      const c = has('clinical-order')
        ? { ...s.clinical, ecogReadings: inClinicalOrder(s.clinical.ecogReadings, { value: e.data.ecog, at: e.time, eventId: e.id }) }
        : s.clinical;
      return { ...s, clinical: later(s.clinical.ecog?.at, e.time) ? { ...c, ecog: { value: e.data.ecog, at: e.time } } : c };
    }
    case 'prognosis.estimated': {
      const r = { value: e.data.months, at: e.time, eventId: e.id };
      const c = has('clinical-order') ? { ...s.clinical, prognosisReadings: inClinicalOrder(s.clinical.prognosisReadings, r) } : s.clinical;
      return { ...s, clinical: later(s.clinical.prognosisMonths?.at, e.time) ? { ...c, prognosisMonths: { value: e.data.months, at: e.time } } : c };
    }
    case 'clinical.flag':
      return s.flags.includes(e.data.flag) ? s : { ...s, flags: [...s.flags, e.data.flag] };
    case 'prom.submitted': {
      const latest = { ...s.proms.latest };
      for (const [item, score] of Object.entries(e.data.scores)) {
        if (score !== undefined && later(latest[item]?.at, e.time)) latest[item] = { score, at: e.time, eventId: e.id };
      }
      const stage = s.stage === 'enrolled' ? 'concurrent-care' : s.stage;
      if (has('answers-its-request')) {
        // A response settles only the request it answers: a Distress Thermometer after a discharge
        // leaves a pending closed-loop follow-up pending (2.2, 2.10a).
        const outstanding = answersRequest(e, s.proms.outstanding) ? undefined : s.proms.outstanding;
        const followUp = answersRequest(e, s.proms.followUp) ? undefined : s.proms.followUp;
        const scores = Object.fromEntries(Object.entries(e.data.scores).filter((kv): kv is [string, number] => kv[1] !== undefined));
        const responses = inClinicalOrder(s.proms.responses, { at: e.time, eventId: e.id, scores });
        return { ...s, stage, proms: { ...s.proms, latest, outstanding, followUp, responses } };
      }
      return { ...s, stage, proms: { ...s.proms, latest, outstanding: undefined, followUp: undefined } };
    }
    case 'encounter.admitted': {
      if (has('one-admission-per-encounter')) {
        // The same encounter sent twice is one admission.
        if (isRepeatAdmission(s, e.data.encounterId, e.id)) return s;
        const encounters = [...(s.clinical.encounters ?? []).filter((x) => x.eventId !== e.id), { encounterId: e.data.encounterId, eventId: e.id }].slice(-200);
        s = { ...s, clinical: { ...s.clinical, encounters } };
      }
      const unplanned = e.data.planned !== true && e.data.setting !== 'hospice';
      if (!unplanned || s.clinical.unplannedAdmissions.some((a) => a.eventId === e.id)) return s;
      return { ...s, clinical: { ...s.clinical, unplannedAdmissions: [...s.clinical.unplannedAdmissions, { at: e.time, eventId: e.id }] } };
    }
    case 'palliative.contact':
      return e.data.team === 'specialist' ? specialistContact(s, e.time) : s;
    case 'acp.documented':
      // In clinical order: a late document (clinically older than the one on record) never overwrites newer ACP facts.
      if (has('clinical-order') && !later(s.acp.documentedAt, e.time)) return { ...s, acp: { ...s.acp, status: 'documented' } };
      return {
        ...s,
        acp: {
          status: 'documented',
          documentedAt: e.time,
          preferredPlaceOfDeath: e.data.preferredPlaceOfDeath ?? s.acp.preferredPlaceOfDeath,
          ...(has('acp-as-a-process') ? { codeStatus: e.data.codeStatus ?? s.acp.codeStatus } : {}),
        },
      };
    case 'caregiver.registered': {
      const others = s.caregivers.filter((c) => c.caregiverId !== e.data.caregiverId);
      return { ...s, caregivers: [...others, { caregiverId: e.data.caregiverId, consentToShare: e.data.consentToShare }] };
    }
    case 'consent.changed': {
      const current = s.consent[e.data.scope];
      if (!later(current.at, e.time)) return s;
      const consent = { ...s.consent, [e.data.scope]: { decision: e.data.decision, at: e.time } };
      if (has('closure-stays')) return consentChanged(s, consent, e.data.scope, e.data.decision, e.time, e.id);
      const closes = e.data.scope === 'pathway' && e.data.decision === 'withdrawn';
      const stopsProms = e.data.decision !== 'granted' && (e.data.scope === 'proms' || e.data.scope === 'pathway');
      return { ...s, consent, stage: closes && s.stage !== 'none' ? 'closed' : s.stage, proms: stopsProms ? { ...s.proms, outstanding: undefined } : s.proms };
    }
    case 'patient.dying':
      if (isDead(s) || s.stage === 'closed' || s.stage === 'none') return s;
      return { ...s, stage: 'end-of-life', clinical: { ...s.clinical, dyingAt: e.time }, proms: { ...s.proms, outstanding: undefined } };
    case 'patient.died':
      if (isDead(s)) return s;
      return {
        ...s,
        stage: s.stage === 'none' || s.stage === 'closed' ? s.stage : 'bereavement',
        clinical: { ...s.clinical, diedAt: e.time, ...(has('bereavement-per-caregiver') ? { deathPlace: e.data.placeOfDeath } : {}) },
        proms: { ...s.proms, outstanding: undefined },
      };
    case 'patient.transferred':
      if (s.stage === 'none' || (has('closure-stays') && s.stage === 'closed')) return s;
      // A transfer clinically before the diagnosis that enrolled the patient is history, not an exit.
      if (has('closure-stays') && s.enrolledAt && Date.parse(e.time) < Date.parse(s.enrolledAt)) return s;
      return {
        ...s,
        stage: 'closed',
        proms: { ...s.proms, outstanding: undefined },
        ...(has('closure-stays') ? { closure: { reason: 'transferred' as const, at: e.time, eventId: e.id } } : {}),
      };
    case 'sact.administered':
      return has('clinical-order') ? { ...s, clinical: { ...s.clinical, sactDoses: inClinicalOrder(s.clinical.sactDoses, { at: e.time, eventId: e.id }) } } : s;
    case 'disease.progressed':
    case 'encounter.discharged':
      return s;
    default:
      return e satisfies never;
  }
}

type Diagnosis = NonNullable<PathwayState['diagnosis']>;

/**
 * Revision 4 (docs/clinical-rules.md 2.10a): an advanced diagnosis enrols — unless the death or a withdrawal is
 * already known (then it enrols nobody: a death still leads to the bereavement follow-up, a
 * withdrawal to a closed pathway that remembers why). After a transfer out, an advanced diagnosis
 * clinically after the transfer enrols again. For an enrolled patient a later record of the
 * diagnosis may bring a median survival estimate.
 */
function diagnosed(s: PathwayState, advanced: boolean, diagnosis: Diagnosis, at: string): PathwayState {
  if (!advanced) return s;
  if (s.stage === 'none') {
    // A refusal of the pathway outweighs everything, as it would have closed a pathway already running.
    const pathway = s.consent.pathway.decision;
    if (pathway !== 'granted') return { ...s, diagnosis, stage: 'closed', closure: { reason: pathway, at: s.consent.pathway.at } };
    if (isDead(s)) return { ...s, stage: 'bereavement', diagnosis };
    return { ...s, stage: 'enrolled', enrolledAt: at, diagnosis };
  }
  const transferredBefore = s.closure?.reason === 'transferred' && Date.parse(at) > Date.parse(s.closure.at);
  if (s.stage === 'closed' && transferredBefore && !isDead(s) && s.consent.pathway.decision === 'granted') {
    return { ...reopened(s), stage: 'enrolled', enrolledAt: at, diagnosis };
  }
  if (isActive(s) && s.diagnosis && diagnosis.medianSurvivalMonths !== undefined) {
    return { ...s, diagnosis: { ...s.diagnosis, medianSurvivalMonths: diagnosis.medianSurvivalMonths } };
  }
  return s;
}

/** A re-enrolled pathway starts its work afresh; the record (facts, closed tasks) stays. */
function reopened(s: PathwayState): PathwayState {
  const referral = s.referral.status === 'proposed' || s.referral.status === 'sent' ? { status: 'none' as const } : s.referral;
  return { ...s, closure: undefined, referral, proms: { ...s.proms, outstanding: undefined, followUp: undefined } };
}

/**
 * Revision 4: a pathway refused (`declined`) or `withdrawn` closes and remembers why; `granted`
 * after such a closure re-enrols (with a known advanced diagnosis; otherwise the pathway waits for
 * one). A referral refusal ends the referral in progress. Nothing re-enrols after a death.
 */
function consentChanged(
  s: PathwayState,
  consent: PathwayState['consent'],
  scope: keyof PathwayState['consent'],
  decision: PathwayState['consent']['pathway']['decision'],
  at: string,
  eventId: string,
): PathwayState {
  const stopsProms = decision !== 'granted' && (scope === 'proms' || scope === 'pathway');
  const proms = stopsProms ? { ...s.proms, outstanding: undefined } : s.proms;
  if (scope === 'referral' && decision !== 'granted' && (s.referral.status === 'proposed' || s.referral.status === 'sent')) {
    return { ...s, consent, referral: { status: 'none' } };
  }
  if (scope !== 'pathway') return { ...s, consent, proms };
  if (decision !== 'granted') {
    if (s.stage === 'none' || s.stage === 'closed') return { ...s, consent, proms };
    return { ...s, consent, proms, stage: 'closed', closure: { reason: decision, at, eventId } };
  }
  const refused = s.closure?.reason === 'withdrawn' || s.closure?.reason === 'declined';
  if (s.stage !== 'closed' || !refused || isDead(s)) return { ...s, consent };
  return s.diagnosis ? { ...reopened(s), consent, stage: 'enrolled', enrolledAt: at } : { ...reopened(s), consent, stage: 'none' };
}

function specialistContact(s: PathwayState, at: string): PathwayState {
  const first =
    s.clinical.specialistContactAt === undefined || Date.parse(at) < Date.parse(s.clinical.specialistContactAt) ? at : s.clinical.specialistContactAt;
  const stage = s.stage === 'enrolled' || s.stage === 'concurrent-care' ? 'specialist-involvement' : s.stage;
  return { ...s, stage, level: 'tertiary', referral: { ...s.referral, status: 'seen' }, clinical: { ...s.clinical, specialistContactAt: first } };
}

/** The state after an input: the facts it establishes. Commands are `decide`'s business. Pure. */
export function evolve(state: PathwayState, input: PathwayInput): PathwayState {
  switch (input.kind) {
    case 'event':
      return evolveEvent(state, input.event);
    case 'timer': {
      const { [input.timerId]: _fired, ...timers } = state.timers;
      return { ...state, timers };
    }
    case 'task.completed': {
      const task = state.tasks[input.commandId];
      if (!task || task.status !== 'open') return state;
      let next: PathwayState = {
        ...state,
        tasks: { ...state.tasks, [input.commandId]: { ...task, status: 'done', outcome: input.outcome, closedAt: input.completedAt } },
      };
      if (task.type === 'specialist-referral-proposal') {
        next = {
          ...next,
          referral: input.outcome === 'agreed' ? { ...next.referral, status: 'sent' } : { ...next.referral, status: 'declined', declinedAt: input.completedAt },
        };
      }
      if (task.type === 'specialist-referral-triage' && input.outcome === 'seen') next = specialistContact(next, input.completedAt);
      if (task.type === 'acp-conversation') {
        const status = input.outcome === 'documented' ? 'documented' : (input.outcome as 'ready' | 'not-ready' | 'declined');
        next = { ...next, acp: { ...next.acp, status, ...(status === 'documented' ? { documentedAt: input.completedAt } : {}) } };
      }
      return next;
    }
    default:
      return input satisfies never;
  }
}
