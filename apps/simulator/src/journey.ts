import type { ClinicalEventType, PathwayPolicy } from '@tandem/domain';
import type { CareTruth } from './care';
import { DAY, drawCare } from './care';
import type { CohortParameters } from './parameters';
import { Draws } from './random';
import type { Phase } from './symptoms';
import { SymptomTrajectory } from './symptoms';
import type { PromTime } from './proms';
import { distressRequests, questionnaires, scheduledRequests } from './proms';

export { DAY };
const HOUR = 3_600_000;
const MONTH = 30.44 * DAY;

/** One clinical event of a simulated journey, `at` ms after the cohort's start (clinical time). */
export interface SimulatedEvent {
  id: string;
  patientId: string;
  at: number;
  type: ClinicalEventType;
  data: Record<string, unknown>;
}

/** What was drawn for one patient, beside the events (for summaries and the generator's tests). */
export interface SimulatedPatient {
  patientId: string;
  site: string;
  /** When the advanced diagnosis falls, ms after the cohort's start. */
  diagnosedAt: number;
  survivalDays: number;
  /** Where the patient dies (drawn for everyone; the death is an event only inside the window). */
  placeOfDeath: keyof CohortParameters['placeOfDeath'];
  diesInWindow: boolean;
  ageAtDiagnosis: number;
  /** The care side as the world gave it (palliative.contact and acp.documented events carry it). */
  care: CareTruth;
  /** Caregivers registered, and whether the team can reach them for an assessment. */
  caregivers: Array<{ caregiverId: string; unreachable: boolean }>;
  /**
   * Each time the service asked for a questionnaire (at enrolment, then the policy's interval), and
   * whether the patient answered it (`promAnswerDelayHours` later, while alive and inside the window).
   */
  promTimes: PromTime[];
  events: SimulatedEvent[];
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * One patient's journey from the advanced diagnosis: registration, diagnosis, therapy lines and
 * progression, ECOG decline, PROM answers (or none) with their symptom scores, unplanned hospital
 * use rising towards death, ICU and SACT near the end for a few, a caregiver, specialist and
 * community palliative care, ACP with a preferred place of death, dying recognised
 * (or not) and death in a place — every figure from the parameters, every draw from the seed.
 * Events after `windowMs` are not included (the patient is still alive at the end of the run).
 */
export function simulatePatient(
  p: CohortParameters,
  policy: PathwayPolicy,
  o: { seed: number; index: number; windowMs: number; startMs: number; idPrefix?: string },
): SimulatedPatient {
  const d = new Draws(o.seed, o.index);
  const patientId = `${o.idPrefix ?? `sim-${o.seed}`}-${o.index}`;
  const cancer = p.cancers[d.weighted(p.cancers.map((c) => c.share))]!;
  const t0 = Math.floor(d.between(0, o.windowMs * 0.9));
  const survivalDays = Math.max(7, Math.min(3650, cancer.medianSurvivalMonths * Math.exp(p.survivalSpread * d.normal()) * 30.44));
  const death = t0 + survivalDays * DAY;
  const placeOfDeath = d.share(p.placeOfDeath);
  const age = Math.round(Math.min(p.age.max, Math.max(p.age.min, p.age.mean + p.age.sd * d.normal())));
  const events: SimulatedEvent[] = [];
  const add = (at: number, type: ClinicalEventType, data: Record<string, unknown>) => {
    if (at <= Math.min(death, o.windowMs)) events.push({ id: `${patientId}-${events.length + 1}`, patientId, at: Math.round(at), type, data });
  };
  const daytime = (at: number) => at + Math.floor(d.between(9, 17) * HOUR);
  const phase = (at: number): Phase => (death - at <= MONTH ? 'lastMonth' : death - at <= 3 * MONTH ? 'lastThreeMonths' : 'early');

  // Registration and the advanced diagnosis.
  const interpreter = d.chance(p.interpreterNeeded);
  const language = interpreter ? p.otherLanguages[d.int(0, p.otherLanguages.length - 1)]! : 'en';
  const birth = o.startMs + t0 - (age * 365.25 + d.between(0, 365)) * DAY;
  add(t0, 'patient.registered', {
    birthDate: dateOf(birth),
    sex: d.chance(0.5) ? 'female' : 'male',
    livesAlone: d.chance(p.livesAlone),
    rural: d.chance(p.rural),
    deprivationQuintile: d.weighted(p.deprivationQuintile) + 1,
    preferredLanguage: language,
    interpreterNeeded: interpreter,
    gpPracticeId: `gp-${d.int(1, 40)}`,
    ...(d.chance(p.emailOnRecord) ? { contact: { email: `${patientId}@patients.example` } } : {}),
  });
  add(t0 + HOUR, 'diagnosis.recorded', { cancerType: cancer.icd10, stage: 'IV', advanced: true, diagnosedAt: dateOf(o.startMs + t0) });
  if (d.chance(p.prognosisRecorded))
    add(t0 + 2 * HOUR, 'prognosis.estimated', { months: Math.max(1, Math.round((survivalDays / 30.44) * Math.exp(0.4 * d.normal()))) });

  // ECOG: from its value at diagnosis, up by one in the last three months and again in the last month.
  const ecog0 = d.weighted(p.ecogAtDiagnosis);
  for (let at = t0 + 3 * HOUR; at < death; at += p.ecogEveryWeeks * 7 * DAY) {
    const rise = phase(at) === 'lastMonth' ? 2 : phase(at) === 'lastThreeMonths' ? 1 : 0;
    add(at, 'performance.recorded', { ecog: Math.min(4, ecog0 + rise) });
  }

  // Systemic therapy: a first line, progression, perhaps a further line; cycles every three weeks.
  const therapy: Array<[number, number]> = [];
  if (d.chance(p.therapy.firstLine)) {
    const start = t0 + d.between(p.therapy.weeksToFirstLine[0], p.therapy.weeksToFirstLine[1]) * 7 * DAY;
    const progression = start + (death - start) * d.between(0.3, 0.6);
    add(start, 'treatment.started', { line: 1, intent: 'palliative' });
    therapy.push([start, progression]);
    add(daytime(progression), 'disease.progressed', { line: 1 });
    if (d.chance(p.therapy.furtherLine)) {
      const second = progression + d.between(2, 4) * 7 * DAY;
      // Stopped before the last weeks, except for the few who get SACT in the last 14 days.
      const stop = d.chance(p.sactLast14Days / (p.therapy.firstLine * p.therapy.furtherLine))
        ? death - d.between(1, 13) * DAY
        : death - d.between(20, 60) * DAY;
      if (second < stop) {
        add(second, 'treatment.started', { line: 2, intent: 'palliative' });
        therapy.push([second, stop]);
      }
    }
  }
  for (const [start, stop] of therapy) for (let at = start; at <= stop; at += 21 * DAY) add(daytime(at), 'sact.administered', {});

  // PROMs on the service's schedule (proms.ts); whether each was sent and answered is settled at the end.
  const declinesAt = d.chance(p.declinesProms) ? t0 + d.between(30, 200) * DAY : Infinity;
  const enrolledAt = t0 + HOUR;
  const therapyFrom = therapy[0] ? Math.round(therapy[0][0]) : Infinity;
  const symptoms = new SymptomTrajectory(p, d);
  const scheduled = scheduledRequests(p, policy, d, { from: enrolledAt, until: Math.min(death, declinesAt), therapyFrom, phase, symptoms });
  if (declinesAt < death) add(declinesAt, 'consent.changed', { scope: 'proms', decision: 'declined' });

  // Unplanned hospital use, month by month, rising towards death; ICU near the end for a few.
  let encounter = 0;
  for (let month = t0; month < death; month += MONTH) {
    const visits = d.poisson(p.unplannedPerMonth[phase(month)]);
    for (let v = 0; v < visits; v++) {
      const at = month + d.between(0, Math.min(MONTH, death - month));
      const id = `${patientId}-enc${++encounter}`;
      if (d.chance(p.edOnlyShare)) {
        add(at, 'encounter.admitted', { encounterId: id, setting: 'emergency', planned: false });
        add(at + d.between(3, 8) * HOUR, 'encounter.discharged', { encounterId: id, destination: 'home' });
      } else {
        add(at, 'encounter.admitted', { encounterId: id, setting: 'inpatient', planned: false });
        const out = at + d.between(2, 9) * DAY;
        if (out < death) add(out, 'encounter.discharged', { encounterId: id, destination: 'home' });
      }
    }
  }
  if (d.chance(p.icuLast30Days)) add(death - d.between(3, 29) * DAY, 'encounter.admitted', { encounterId: `${patientId}-icu`, setting: 'icu', planned: false });

  // A caregiver for most; the care side: specialist and community palliative contacts, ACP.
  const caregivers: SimulatedPatient['caregivers'] = [];
  if (d.chance(p.caregiverRegistered)) {
    const caregiverId = `${patientId}-cg1`;
    caregivers.push({ caregiverId, unreachable: d.chance(p.caregiverUnreachable) });
    add(t0 + d.between(2, 30) * DAY, 'caregiver.registered', {
      caregiverId,
      relationship: ['spouse', 'partner', 'daughter', 'son', 'sibling', 'friend'][d.int(0, 5)]!,
      consentToShare: d.chance(0.9),
    });
  }
  const care = drawCare(p, d, t0, death, placeOfDeath);
  if (care.specialistContactAt !== undefined) add(care.specialistContactAt, 'palliative.contact', { team: 'specialist' });
  for (const at of care.communityContacts) add(at, 'palliative.contact', { team: 'community' });
  if (care.acp)
    add(care.acp.at, 'acp.documented', {
      codeStatus: care.acp.codeStatus,
      preferredPlaceOfDeath: care.acp.preferredPlaceOfDeath,
      surrogate: care.acp.surrogate,
    });

  // The end: dying recognised (or not), then death.
  const dyingAt = d.chance(p.dyingRecognised) ? Math.round(death - d.between(p.dyingRecognisedDaysBefore[0], p.dyingRecognisedDaysBefore[1]) * DAY) : Infinity;
  if (dyingAt !== Infinity) add(dyingAt, 'patient.dying', {});
  add(death, 'patient.died', { placeOfDeath });

  // The questionnaires: the schedule's, and a Distress Thermometer after each discharge and progression.
  const transitions = events.filter((e) => e.type === 'encounter.discharged' || e.type === 'disease.progressed').map((e) => e.at);
  const { promTimes, answers } = questionnaires([...scheduled, ...distressRequests(p, d, transitions, phase)], p, policy, {
    patientId,
    enrolledAt,
    stopsAt: Math.min(death, declinesAt),
    dyingAt,
    death,
    windowMs: o.windowMs,
    phase,
  });
  for (const a of answers) add(a.at, 'prom.submitted', a.data);

  events.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  return {
    patientId,
    site: cancer.site,
    diagnosedAt: t0,
    survivalDays,
    placeOfDeath,
    diesInWindow: death <= o.windowMs,
    ageAtDiagnosis: age,
    care,
    caregivers,
    promTimes,
    events,
  };
}
