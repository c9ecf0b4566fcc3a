import { isRepeatAdmission } from '../pathway/state';
import type { Decision } from './context';

/**
 * docs/clinical-rules.md section 4: the facts the measures are computed from, recorded as they happen (clinical
 * time): advanced diagnosis, admissions and ED visits, SACT dates, dying recognised. First
 * specialist contact, ACP, referral and death facts are recorded by their own rules.
 */
export function measureFacts(d: Decision): void {
  const { input } = d;
  if (input.kind !== 'event') return;
  const e = input.event;
  const evidence = { eventIds: [e.id] };
  const rule = '4.facts.record';
  // In clinical order: every advanced diagnosis the pathway takes as its own (it may enrol nobody: 2.10a).
  const diagnosisTaken = d.has('clinical-order')
    ? d.state.diagnosis?.eventId === e.id && d.before.diagnosis?.eventId !== e.id
    : d.before.stage === 'none' && d.state.stage === 'enrolled';
  if (e.type === 'diagnosis.recorded' && diagnosisTaken) {
    d.fact(
      rule,
      'advanced-diagnosis',
      { cancerType: e.data.cancerType, diagnosedAt: e.data.diagnosedAt, medianSurvivalMonths: e.data.medianSurvivalMonths ?? null },
      e.time,
      evidence,
    );
  } else if (e.type === 'encounter.admitted' && !(d.has('one-admission-per-encounter') && isRepeatAdmission(d.before, e.data.encounterId, e.id))) {
    d.fact(rule, 'admission', { setting: e.data.setting, planned: e.data.planned ?? false, encounterId: e.data.encounterId }, e.time, evidence);
  } else if (e.type === 'sact.administered') {
    d.fact(rule, 'sact', { regimen: e.data.regimen ?? null }, e.time, evidence);
  } else if (e.type === 'patient.dying' && d.before.stage !== 'end-of-life' && d.state.stage === 'end-of-life') {
    d.fact(rule, 'dying-recognised', true, e.time, evidence);
  } else if (e.type === 'patient.registered') {
    // Equity attributes for the dashboard's splits; contact details stay out of facts.
    const { livesAlone, rural, deprivationQuintile, interpreterNeeded, birthDate } = e.data;
    d.fact(
      rule,
      'equity',
      {
        livesAlone: livesAlone ?? null,
        rural: rural ?? null,
        deprivationQuintile: deprivationQuintile ?? null,
        interpreterNeeded: interpreterNeeded ?? null,
        birthYear: Number(birthDate.slice(0, 4)),
        // Age at each measure's index date (the equity split age < 75 / >= 75).
        ...(d.has('measure-facts') ? { birthDate } : {}),
      },
      e.time,
      evidence,
    );
  }
}
