import { isActive } from '../pathway/state';
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
  }
  if (e.type === 'sact.administered') {
    if (ecog !== undefined && ecog >= p.poorPerformanceEcogAtLeast) {
      d.openTask('2.5.sact.poor-performance', 'mdt-review', p.sactMdtReview, { eventIds: [e.id], ecog, regimen: e.data.regimen }, { subject: 'sact' });
    }
    if (prognosis !== undefined && prognosis < p.sactPrognosisMonthsBelow) {
      d.openTask(
        '2.5.sact.short-prognosis',
        'mdt-review',
        p.sactMdtReview,
        { eventIds: [e.id], prognosisMonths: prognosis, regimen: e.data.regimen },
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
        { eventIds: [e.id], prognosisMonths: prognosis },
      );
    }
  }
}
