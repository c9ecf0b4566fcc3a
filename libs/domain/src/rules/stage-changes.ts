import type { Decision } from './context';

/**
 * Enrolment happens with this input: the state moved to enrolled — from none with the diagnosis
 * (every revision), or from closed with a re-enrolment (revision 4, docs/clinical-rules.md 2.10a).
 */
export function enrolsNow(d: Decision): boolean {
  if (d.state.stage !== 'enrolled') return false;
  if (d.before.stage === 'none') return d.has('closure-stays') || (d.input.kind === 'event' && d.input.event.type === 'diagnosis.recorded');
  return d.has('closure-stays') && d.before.stage === 'closed';
}
