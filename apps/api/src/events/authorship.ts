import type { ClinicalEventType } from '@tandem/domain';
import type { Role } from '../auth/roles';

/** Roles that may post a clinical event at all (`ops` sees measures only). */
export type AssertingRole = Exclude<Role, 'ops'>;

const CLINICAL = ['clinician', 'specialist', 'integration', 'admin'] as const satisfies readonly AssertingRole[];
/** Facts of the record (who the patient is, how to reach them, what they consented to, death, transfer, admissions): the hospital's systems, or an administrator. */
const RECORD = ['integration', 'admin'] as const satisfies readonly AssertingRole[];

/**
 * Which roles may assert which event type at `POST /api/v1/events`: the one table, written out in
 * docs/security.md ("Who may assert which event", checked against this by authorship.test.ts).
 * Clinicians and specialists document clinical facts only; registration, contact details, consent,
 * admissions, death and transfer come from an integration (a service account) or an administrator;
 * PROM answers come from the patient's own page (its link is the author) or an integration.
 * Events produced straight to Kafka come from integrations and are not subject to it.
 */
export const ASSERTED_BY: { readonly [T in ClinicalEventType]: readonly AssertingRole[] } = {
  'patient.registered': RECORD,
  'diagnosis.recorded': CLINICAL,
  'treatment.started': CLINICAL,
  'disease.progressed': CLINICAL,
  'sact.administered': CLINICAL,
  'performance.recorded': CLINICAL,
  'prognosis.estimated': CLINICAL,
  'clinical.flag': CLINICAL,
  'prom.submitted': ['integration'],
  'encounter.admitted': RECORD,
  'encounter.discharged': RECORD,
  'palliative.contact': ['coordinator', ...CLINICAL],
  'acp.documented': CLINICAL,
  'caregiver.registered': RECORD,
  'consent.changed': RECORD,
  'patient.dying': CLINICAL,
  'patient.died': RECORD,
  'patient.transferred': RECORD,
};

/** True when one of the roles may assert events of this type. */
export function mayAssert(roles: readonly string[], type: ClinicalEventType): boolean {
  const allowed: readonly string[] = ASSERTED_BY[type];
  return roles.some((r) => allowed.includes(r));
}

/** Who may mark events as a history being loaded (`history: true`), which a new pathway steps on its clinical clock (ADR 0019). */
export const LOADS_HISTORY = RECORD;

/** True when one of the roles may load a history. */
export function mayLoadHistory(roles: readonly string[]): boolean {
  return roles.some((r) => (LOADS_HISTORY as readonly string[]).includes(r));
}

/** Roles in the table's column order. */
export const ASSERTING_ROLES = ['coordinator', 'clinician', 'specialist', 'admin', 'integration'] as const satisfies readonly AssertingRole[];

/** ASSERTED_BY as the Markdown table docs/security.md holds (authorship.test.ts keeps the two the same). */
export function assertedByTable(): string {
  const rows = (Object.keys(ASSERTED_BY) as ClinicalEventType[]).map(
    (type) => `| \`${type}\` | ${ASSERTING_ROLES.map((r) => ((ASSERTED_BY[type] as readonly string[]).includes(r) ? 'yes' : '—')).join(' | ')} |`,
  );
  return [`| Event type | ${ASSERTING_ROLES.join(' | ')} |`, `|---|${ASSERTING_ROLES.map(() => '---').join('|')}|`, ...rows].join('\n');
}
