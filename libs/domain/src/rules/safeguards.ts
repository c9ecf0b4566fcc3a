import type { Reading } from '../pathway/state';
import { isActive, openTaskOf, readingAt } from '../pathway/state';
import type { Decision } from './context';

/** docs/clinical-rules.md 2.5: hospice discussion at short prognosis or poor performance; MDT review of SACT given against safeguards. */
export function safeguards(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event' || !isActive(d.state)) return;
  const e = input.event;
  const p = d.policy.safeguards;
  const ecog = d.state.clinical.ecog?.value;
  const prognosis = d.state.clinical.prognosisMonths?.value;
  if (e.type === 'prognosis.estimated' || e.type === 'performance.recorded') {
    // In clinical order: the reading itself is judged, late or not — arrival order must not decide whether a
    // poor reading leads to the discussion (a newer, better reading that arrived first hid it).
    const reading = d.has('clinical-order')
      ? { ecog: e.type === 'performance.recorded' ? e.data.ecog : undefined, prognosis: e.type === 'prognosis.estimated' ? e.data.months : undefined }
      : { ecog, prognosis };
    const shortPrognosis = reading.prognosis !== undefined && reading.prognosis <= p.hospicePrognosisMonthsAtMost;
    const poorPerformance = reading.ecog !== undefined && reading.ecog >= p.poorPerformanceEcogAtLeast;
    if (shortPrognosis || poorPerformance) {
      d.openTask('2.5.hospice.discussion', 'hospice-referral-discussion', p.hospiceDiscussion, { eventIds: [e.id], prognosisMonths: prognosis, ecog });
    }
    if (d.has('clinical-order')) judgeDosesAgain(d, e.type === 'performance.recorded' ? 'ecog' : 'prognosis', e.id, e.time);
  }
  if (e.type === 'sact.administered') {
    // In clinical order: judged by the readings in force at the dose's clinical time, not the newest ones.
    const atDose = d.has('clinical-order')
      ? { ecog: readingAt(d.state.clinical.ecogReadings, e.time)?.value, prognosis: readingAt(d.state.clinical.prognosisReadings, e.time)?.value }
      : { ecog, prognosis };
    if (poorPerformance(d, atDose.ecog)) sactPoorPerformance(d, [e.id], atDose.ecog!, e.data.regimen);
    if (shortPrognosis(d, atDose.prognosis)) sactShortPrognosis(d, [e.id], atDose.prognosis!, e.data.regimen);
  }
}

/**
 * Since rules revision 4: one review per dose and safeguard (performance, prognosis), so each judgement stands —
 * and, when a reading closer to the dose arrives late, is made again — on its own. Before: one
 * review for every dose.
 */
const sactSubject = (d: Decision, safeguard: 'performance' | 'prognosis', doseEventId: string) => (d.has('clinical-order') ? `sact-${safeguard}:${doseEventId}` : 'sact');

const poorPerformance = (d: Decision, ecog: number | undefined) => ecog !== undefined && ecog >= d.policy.safeguards.poorPerformanceEcogAtLeast;
const shortPrognosis = (d: Decision, months: number | undefined) => months !== undefined && months < d.policy.safeguards.sactPrognosisMonthsBelow;

function sactPoorPerformance(d: Decision, eventIds: string[], ecog: number, regimen: string | undefined, late = false): void {
  d.openTask(
    '2.5.sact.poor-performance',
    'mdt-review',
    d.policy.safeguards.sactMdtReview,
    { eventIds, ecog, regimen, ...(late ? { lateReading: true } : {}) },
    { subject: sactSubject(d, 'performance', eventIds[0]!) },
  );
}

function sactShortPrognosis(d: Decision, eventIds: string[], months: number, regimen: string | undefined, late = false): void {
  d.openTask(
    '2.5.sact.short-prognosis',
    'mdt-review',
    d.policy.safeguards.sactMdtReview,
    { eventIds, prognosisMonths: months, regimen, ...(late ? { lateReading: true } : {}) },
    { subject: sactSubject(d, 'prognosis', eventIds[0]!) },
  );
  d.notify(
    '2.5.sact.short-prognosis',
    {
      kind: 'clinician-reminder',
      recipient: { role: 'team', id: 'oncology' },
      channel: 'worklist',
      text: 'SACT given with an estimated prognosis under one month: MDT review required.',
      patientFacing: false,
    },
    { eventIds, prognosisMonths: months },
  );
}

/**
 * Since rules revision 4 (docs/clinical-rules.md 2.10a): a reading that arrives late but is clinically before a SACT dose
 * already recorded changes how that dose is judged. Each dose the new reading now governs is judged
 * again, unless the reading that governed it before already called for the review.
 */
function judgeDosesAgain(d: Decision, kind: 'ecog' | 'prognosis', eventId: string, at: string): void {
  const readings = (s: typeof d.state): Reading[] | undefined => (kind === 'ecog' ? s.clinical.ecogReadings : s.clinical.prognosisReadings);
  const breaches = (r: Reading | undefined) => (kind === 'ecog' ? poorPerformance(d, r?.value) : shortPrognosis(d, r?.value));
  for (const dose of d.state.clinical.sactDoses ?? []) {
    if (Date.parse(dose.at) < Date.parse(at)) continue;
    const now = readingAt(readings(d.state), dose.at);
    if (now?.eventId !== eventId) continue;
    if (!breaches(now)) {
      withdrawLateReview(d, kind === 'ecog' ? 'performance' : 'prognosis', dose.eventId);
      continue;
    }
    if (breaches(readingAt(readings(d.before), dose.at))) continue;
    if (kind === 'ecog') sactPoorPerformance(d, [dose.eventId, eventId], now.value, undefined, true);
    else sactShortPrognosis(d, [dose.eventId, eventId], now.value, undefined, true);
  }
}

/**
 * A review opened for one dose only, on a reading that a late reading — taken closer to the dose —
 * now supersedes and that shows the dose was given within the safeguards: the reason for that
 * review is gone, as if the readings had arrived in clinical order (2.10a). A review that other
 * findings have joined stays.
 */
function withdrawLateReview(d: Decision, safeguard: 'performance' | 'prognosis', doseEventId: string): void {
  const review = openTaskOf(d.state, 'mdt-review', sactSubject(d, safeguard, doseEventId));
  if (!review) return;
  const rule = review.reason.rule;
  d.closeTask(rule, review.commandId, 'cancelled', 'superseded-by-a-reading-closer-to-the-dose');
}
