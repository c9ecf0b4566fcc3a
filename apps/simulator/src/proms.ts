import type { PathwayPolicy } from '@tandem/domain';
import { parseDuration } from '@tandem/domain';
import type { CohortParameters } from './parameters';
import type { Draws } from './random';
import type { Phase, SymptomTrajectory } from './symptoms';

const HOUR = 3_600_000;

/** A questionnaire the service asks for, with what the patient would answer (drawn in clinical order). */
interface Request {
  at: number;
  /** ESAS-r (+ DT every n-th time) on the schedule; the Distress Thermometer after a discharge or progression. */
  instrument: 'ESAS-r' | 'DT';
  answers: boolean;
  scores: Record<string, number>;
  /** A DT the patient adds to a scheduled answer. */
  distress?: number;
  n: number;
}

/** A request the service sent, and whether the patient answered it (the measure's ground truth). */
export interface PromTime {
  at: number;
  phase: Phase;
  answered: boolean;
  answeredAt: number;
  notReturnedAt: number;
}

const distressScore = (p: CohortParameters, d: Draws) => (d.chance(p.distressAtLeast4) ? d.int(4, 10) : d.int(0, 3));

/**
 * The scheduled questionnaires: at enrolment (the diagnosis), then at the policy's interval, more
 * often from the start of systemic therapy (the service learns that therapy started, never that it
 * stopped). The scores follow the patient's own trajectory; a severe answer reviewed by a clinician
 * eases the next ones.
 */
export function scheduledRequests(
  p: CohortParameters,
  policy: PathwayPolicy,
  d: Draws,
  o: { from: number; until: number; therapyFrom: number; phase: (at: number) => Phase; symptoms: SymptomTrajectory },
): Request[] {
  const requests: Request[] = [];
  let n = 0;
  for (let at = o.from; at < o.until; n++) {
    const scores = o.symptoms.next(o.phase(at));
    const answers = d.chance(p.promCompletion[o.phase(at)]);
    if (answers && Object.values(scores).some((x) => x >= 7) && d.chance(p.symptoms.reviewed)) o.symptoms.reviewed(scores);
    const distress = answers && n % p.distressEvery === 0 ? distressScore(p, d) : undefined;
    requests.push({ at, instrument: 'ESAS-r', answers, scores, n, ...(distress === undefined ? {} : { distress }) });
    at += parseDuration(o.therapyFrom < at ? policy.proms.intervalDuringSystemicTherapy : policy.proms.interval);
  }
  return requests;
}

/** The Distress Thermometer the service asks for after each discharge and each progression (docs/clinical-rules.md 2.6). */
export function distressRequests(p: CohortParameters, d: Draws, times: number[], phase: (at: number) => Phase): Request[] {
  return times.map((at, i) => ({ at, instrument: 'DT', answers: d.chance(p.promCompletion[phase(at)]), scores: { distress: distressScore(p, d) }, n: i }));
}

/**
 * What the service sent and what came back. A request goes out while the patient is enrolled and
 * alive, has not declined questionnaires, and dying has not been recognised (end of life stops
 * them). The patient answers a few hours later, unless a newer request came first (the app shows
 * the newest, so the older one is never answered), and only while alive and inside the window.
 */
export function questionnaires(
  requests: Request[],
  p: CohortParameters,
  policy: PathwayPolicy,
  o: { patientId: string; enrolledAt: number; stopsAt: number; dyingAt: number; death: number; windowMs: number; phase: (at: number) => Phase },
): { promTimes: PromTime[]; answers: Array<{ at: number; data: Record<string, unknown> }> } {
  const delay = p.promAnswerDelayHours * HOUR;
  const notReturned = parseDuration(policy.proms.notReturnedAfter);
  const sent = requests
    .filter((r) => r.at >= o.enrolledAt && r.at < o.stopsAt && r.at <= o.dyingAt && r.at <= o.windowMs)
    .sort((a, b) => a.at - b.at || a.instrument.localeCompare(b.instrument));
  const promTimes: PromTime[] = [];
  const answers: Array<{ at: number; data: Record<string, unknown> }> = [];
  sent.forEach((r, i) => {
    const answeredAt = r.at + delay;
    const superseded = (sent[i + 1]?.at ?? Infinity) <= answeredAt;
    const answered = r.answers && !superseded && answeredAt <= Math.min(o.death, o.windowMs);
    promTimes.push({ at: r.at, phase: o.phase(r.at), answered, answeredAt, notReturnedAt: r.at + notReturned });
    if (!answered) return;
    const tag = r.instrument === 'DT' ? `t${r.n}` : `r${r.n}`;
    answers.push({ at: answeredAt, data: { instrument: r.instrument, responseId: `${o.patientId}-${tag}`, scores: r.scores } });
    if (r.distress !== undefined)
      answers.push({ at: answeredAt + 60_000, data: { instrument: 'DT', responseId: `${o.patientId}-d${r.n}`, scores: { distress: r.distress } } });
  });
  return { promTimes, answers };
}
