import type { Reading } from '../pathway/state';
import { isActive, readingAt } from '../pathway/state';
import type { Decision } from './context';

/** DOMAIN.md 2.5: hospice discussion at short prognosis or poor performance; MDT review of SACT given against safeguards. */
export function safeguards(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event' || !isActive(d.state)) return;
  const e = input.event;
  const p = d.policy.safeguards;
  const ecog = d.state.clinical.ecog?.value;
  const prognosis = d.state.clinical.prognosisMonths?.value;
  if (e.type === 'prognosis.estimated' || e.type === 'performance.recorded') {
    const shortPrognosis = prognosis !== undefined && prognosis <= p.hospicePrognosisMonthsAtMost;
    const poorPerformance = ecog !== undefined && ecog >= p.poorPerformanceEcogAtLeast;
    if (shortPrognosis || poorPerformance) {
      d.openTask('2.5.hospice.discussion', 'hospice-referral-discussion', p.hospiceDiscussion, { eventIds: [e.id], prognosisMonths: prognosis, ecog });
    }
    if (d.rev4) judgeDosesAgain(d, e.type === 'performance.recorded' ? 'ecog' : 'prognosis', e.id, e.time);
  }
  if (e.type === 'sact.administered') {
    // Revision 4: judged by the readings in force at the dose's clinical time, not the newest ones.
    const atDose = d.rev4
      ? { ecog: readingAt(d.state.clinical.ecogReadings, e.time)?.value, prognosis: readingAt(d.state.clinical.prognosisReadings, e.time)?.value }
      : { ecog, prognosis };
    if (poorPerformance(d, atDose.ecog)) sactPoorPerformance(d, [e.id], atDose.ecog!, e.data.regimen);
    if (shortPrognosis(d, atDose.prognosis)) sactShortPrognosis(d, [e.id], atDose.prognosis!, e.data.regimen);
  }
}

const poorPerformance = (d: Decision, ecog: number | undefined) => ecog !== undefined && ecog >= d.policy.safeguards.poorPerformanceEcogAtLeast;
const shortPrognosis = (d: Decision, months: number | undefined) => months !== undefined && months < d.policy.safeguards.sactPrognosisMonthsBelow;

function sactPoorPerformance(d: Decision, eventIds: string[], ecog: number, regimen: string | undefined, late = false): void {
  d.openTask(
    '2.5.sact.poor-performance',
    'mdt-review',
    d.policy.safeguards.sactMdtReview,
    { eventIds, ecog, regimen, ...(late ? { lateReading: true } : {}) },
    { subject: 'sact' },
  );
}

function sactShortPrognosis(d: Decision, eventIds: string[], months: number, regimen: string | undefined, late = false): void {
  d.openTask(
    '2.5.sact.short-prognosis',
    'mdt-review',
    d.policy.safeguards.sactMdtReview,
    { eventIds, prognosisMonths: months, regimen, ...(late ? { lateReading: true } : {}) },
    { subject: 'sact' },
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
 * Revision 4 (DOMAIN.md 2.10a): a reading that arrives late but is clinically before a SACT dose
 * already recorded changes how that dose is judged. Each dose the new reading now governs is judged
 * again, unless the reading that governed it before already called for the review.
 */
function judgeDosesAgain(d: Decision, kind: 'ecog' | 'prognosis', eventId: string, at: string): void {
  const readings = (s: typeof d.state): Reading[] | undefined => (kind === 'ecog' ? s.clinical.ecogReadings : s.clinical.prognosisReadings);
  const breaches = (r: Reading | undefined) => (kind === 'ecog' ? poorPerformance(d, r?.value) : shortPrognosis(d, r?.value));
  for (const dose of d.state.clinical.sactDoses ?? []) {
    if (Date.parse(dose.at) < Date.parse(at)) continue;
    const now = readingAt(readings(d.state), dose.at);
    if (now?.eventId !== eventId || !breaches(now) || breaches(readingAt(readings(d.before), dose.at))) continue;
    if (kind === 'ecog') sactPoorPerformance(d, [dose.eventId, eventId], now.value, undefined, true);
    else sactShortPrognosis(d, [dose.eventId, eventId], now.value, undefined, true);
  }
}
