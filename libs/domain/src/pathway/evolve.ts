import type { ClinicalEvent } from '../events/envelope';
import type { PathwayInput } from './inputs';
import type { PathwayState } from './state';
import { isDead } from './state';

const later = (a: string | undefined, b: string) => a === undefined || Date.parse(b) >= Date.parse(a);

/** The facts an event establishes, judged by its clinical time (late events do not overwrite newer facts). */
function evolveEvent(s: PathwayState, e: ClinicalEvent): PathwayState {
  switch (e.type) {
    case 'patient.registered':
      return { ...s, patient: { ...s.patient, livesAlone: e.data.livesAlone, registeredEventId: e.id } };
    case 'diagnosis.recorded': {
      if (!e.data.advanced || s.stage !== 'none') return s;
      const diagnosis = { cancerType: e.data.cancerType, diagnosedAt: e.data.diagnosedAt, eventId: e.id, medianSurvivalMonths: e.data.medianSurvivalMonths };
      return { ...s, stage: 'enrolled', enrolledAt: e.time, diagnosis };
    }
    case 'treatment.started':
      return { ...s, stage: s.stage === 'enrolled' ? 'concurrent-care' : s.stage, clinical: { ...s.clinical, onSystemicTherapy: true } };
    case 'performance.recorded':
      return later(s.clinical.ecog?.at, e.time) ? { ...s, clinical: { ...s.clinical, ecog: { value: e.data.ecog, at: e.time } } } : s;
    case 'prognosis.estimated':
      return later(s.clinical.prognosisMonths?.at, e.time) ? { ...s, clinical: { ...s.clinical, prognosisMonths: { value: e.data.months, at: e.time } } } : s;
    case 'clinical.flag':
      return s.flags.includes(e.data.flag) ? s : { ...s, flags: [...s.flags, e.data.flag] };
    case 'prom.submitted': {
      const latest = { ...s.proms.latest };
      for (const [item, score] of Object.entries(e.data.scores)) {
        if (score !== undefined && later(latest[item]?.at, e.time)) latest[item] = { score, at: e.time, eventId: e.id };
      }
      const stage = s.stage === 'enrolled' ? 'concurrent-care' : s.stage;
      return { ...s, stage, proms: { ...s.proms, latest, outstanding: undefined, followUp: undefined } };
    }
    case 'encounter.admitted': {
      const unplanned = e.data.planned !== true && e.data.setting !== 'hospice';
      if (!unplanned || s.clinical.unplannedAdmissions.some((a) => a.eventId === e.id)) return s;
      return { ...s, clinical: { ...s.clinical, unplannedAdmissions: [...s.clinical.unplannedAdmissions, { at: e.time, eventId: e.id }] } };
    }
    case 'palliative.contact':
      return e.data.team === 'specialist' ? specialistContact(s, e.time) : s;
    case 'acp.documented':
      return { ...s, acp: { status: 'documented', documentedAt: e.time, preferredPlaceOfDeath: e.data.preferredPlaceOfDeath ?? s.acp.preferredPlaceOfDeath } };
    case 'caregiver.registered': {
      const others = s.caregivers.filter((c) => c.caregiverId !== e.data.caregiverId);
      return { ...s, caregivers: [...others, { caregiverId: e.data.caregiverId, consentToShare: e.data.consentToShare }] };
    }
    case 'consent.changed': {
      const current = s.consent[e.data.scope];
      if (!later(current.at, e.time)) return s;
      const consent = { ...s.consent, [e.data.scope]: { decision: e.data.decision, at: e.time } };
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
        clinical: { ...s.clinical, diedAt: e.time },
        proms: { ...s.proms, outstanding: undefined },
      };
    case 'patient.transferred':
      return s.stage === 'none' ? s : { ...s, stage: 'closed', proms: { ...s.proms, outstanding: undefined } };
    case 'disease.progressed':
    case 'sact.administered':
    case 'encounter.discharged':
      return s;
    default:
      return e satisfies never;
  }
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
