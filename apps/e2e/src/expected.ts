import type { ClinicalEvent, ResolvedPolicy } from '@tandem/domain';
import { initialState, openTasks, parseClinicalEvent, step } from '@tandem/domain';
import { advancedDiagnosis, clinicalEvent } from '@tandem/testing';

/** Five events of one patient that open several tasks (the kill tests' stream). */
export function fiveEventJourney(p: string) {
  return [
    clinicalEvent('patient.registered', p, { birthDate: '1948-03-02' }),
    advancedDiagnosis(p),
    clinicalEvent('performance.recorded', p, { ecog: 2 }),
    clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: `r-${p}`, scores: { pain: 9, anxiety: 2 } }),
    clinicalEvent('sact.administered', p, { regimen: 'carboplatin' }),
  ];
}

/**
 * The tasks the pure pathway engine leaves open for these events (delivered in the given order,
 * duplicates ignored as the workflow ignores them): what the running system must show in PostgreSQL.
 * Returned as sorted "type/subject" keys.
 */
export function expectedOpenTasks(patientId: string, events: readonly unknown[], policy: ResolvedPolicy): string[] {
  let state = initialState(patientId);
  const seen = new Set<string>();
  for (const raw of events) {
    const parsed = parseClinicalEvent(raw);
    if (!parsed.ok) throw new Error(`test event is invalid: ${parsed.detail}`);
    const event: ClinicalEvent = parsed.event;
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    state = step(state, { kind: 'event', event, at: new Date().toISOString() }, policy).state;
  }
  return openTasks(state)
    .map((t) => `${t.type}/${t.subject}`)
    .sort();
}
