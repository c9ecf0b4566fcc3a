import type { CohortMeasureId } from '@tandem/domain';
import { AGE_SPLIT_YEARS, daysOf } from '@tandem/domain';
import { KEY_WORKER } from '../patient-standing';

/**
 * How each cohort measure of the catalogue (libs/domain/src/measures/catalogue.ts) is found in the
 * stored facts and tasks: one SELECT per measure giving its items
 * `(measure_id, patient_id, item_key, index_at, queue, in_numerator, value, known_at)` over the
 * base sets below, which are restricted to the patients being refreshed. Times are clinical times
 * (facts' `at`); dates are read in UTC. Keyed by measure id: a catalogue id without its cohort
 * fails the compiler.
 */
const utc = (date: string) => `((${date})::timestamp AT TIME ZONE 'UTC')`;
const day = (ts: string) => `((${ts}) AT TIME ZONE 'UTC')::date`;

/** The patients' facts and tasks, and what the cohorts are built from. `$1` = the patient ids. */
export const BASE_SETS = `
pts AS (SELECT DISTINCT unnest($1::text[]) AS patient_id),
f AS (SELECT pf.* FROM pathway_fact pf JOIN pts USING (patient_id)),
t AS (SELECT task.* FROM task JOIN pts USING (patient_id)),
dx AS (SELECT DISTINCT ON (patient_id) patient_id, (value->>'diagnosedAt')::date AS diagnosed
         FROM f WHERE name = 'advanced-diagnosis' ORDER BY patient_id, at, id),
sc AS (SELECT patient_id, min(at) AS at FROM f WHERE name = 'first-specialist-contact' GROUP BY patient_id),
acp AS (SELECT patient_id, min(at) AS first_at,
               min(at) FILTER (WHERE value->>'codeStatus' IS NOT NULL) AS code_at,
               min(at) FILTER (WHERE value->>'preferredPlaceOfDeath' IS NOT NULL) AS place_at
          FROM f WHERE name = 'acp-documented' GROUP BY patient_id),
death AS (SELECT DISTINCT ON (f.patient_id) f.patient_id, f.at, f.value->>'placeOfDeath' AS place, f.value->>'preferred' AS preferred
            FROM f JOIN dx USING (patient_id) WHERE f.name = 'death' ORDER BY f.patient_id, f.at, f.id),
req AS (SELECT patient_id, value->>'requestId' AS rid, at, (value->>'notReturnedAt')::timestamptz AS nr_at, value->>'followUpOf' AS follow_up_of
          FROM f WHERE name = 'prom-requested'),
ans AS (SELECT patient_id, value->>'requestId' AS rid, bool_or(NOT (value->>'late')::boolean) AS in_time, min(at) AS at
          FROM f WHERE name = 'prom-answered' GROUP BY patient_id, value->>'requestId'),
cg AS (SELECT patient_id, evidence->>'caregiverId' AS cid, min(at) AS at
         FROM f WHERE name = 'caregiver-consent-to-share' GROUP BY patient_id, evidence->>'caregiverId')`;

/**
 * A request left out: stopped (death, withdrawal, decline) after it was sent and before it was
 * answered or due back — when it happened, or when the pathway learned of it (a death recorded
 * late stops a request sent in between just the same).
 */
const cancelled = (r: string, a: string) =>
  `(NOT COALESCE(${a}.in_time, false) AND EXISTS (SELECT 1 FROM pathway_fact s WHERE s.patient_id = ${r}.patient_id AND s.name IN ('death', 'consent-pathway', 'consent-proms')
      AND (s.name = 'death' OR s.value #>> '{}' IN ('declined', 'withdrawn'))
      AND ((s.at >= ${r}.at AND s.at < COALESCE(${a}.at, ${r}.nr_at)) OR (s.recorded_at >= ${r}.at AND s.recorded_at < COALESCE(${a}.at, ${r}.nr_at)))))`;

const withinDaysOfDiagnosis = (id: CohortMeasureId, at: string, join: string, days = daysOf(id, 'withinDays')) =>
  `SELECT '${id}', dx.patient_id, 'diagnosis', ${utc('dx.diagnosed')}, NULL::text,
          COALESCE(${day(at)} - dx.diagnosed <= ${days}, false), NULL::float8, ${utc(`dx.diagnosed + ${days + 1}`)}
     FROM dx LEFT JOIN ${join} USING (patient_id)`;

const recordedByToday = (id: string, at: string) =>
  `SELECT '${id}', dx.patient_id, 'diagnosis', ${utc('dx.diagnosed')}, NULL::text, ${at} IS NOT NULL, NULL::float8, NULL::timestamptz
     FROM dx LEFT JOIN acp USING (patient_id)`;

const atDeath = (id: string, inNumerator: string, where = 'true') =>
  `SELECT '${id}', d.patient_id, 'death', d.at, NULL::text, ${inNumerator}, NULL::float8, NULL::timestamptz FROM death d WHERE ${where}`;

const admissionsBeforeDeath = (setting: string, days: number) =>
  `(SELECT count(*) FROM pathway_fact x WHERE x.patient_id = d.patient_id AND x.name = 'admission' AND x.value->>'setting' = '${setting}'
      AND x.at >= d.at - interval '${days} days' AND x.at <= d.at)`;

/** A task done by its due time (a task is due at `due_at`; done at `completed_at`, wall-clock). */
const doneInTime = (t: string) => `(${t}.status = 'done' AND ${t}.completed_at <= ${t}.due_at)`;

const BEREAVEMENT_DAYS = daysOf('caregivers.bereavement-contact-14d', 'withinDays');

export const COHORTS: Record<CohortMeasureId, string> = {
  'timeliness.days-to-specialist-median': `SELECT 'timeliness.days-to-specialist-median', dx.patient_id, 'diagnosis', ${utc('dx.diagnosed')}, NULL::text, true,
      (${day('sc.at')} - dx.diagnosed)::float8, NULL::timestamptz FROM dx JOIN sc USING (patient_id)`,
  'timeliness.specialist-within-8w': withinDaysOfDiagnosis('timeliness.specialist-within-8w', 'sc.at', 'sc'),
  'timeliness.specialist-within-12w': withinDaysOfDiagnosis('timeliness.specialist-within-12w', 'sc.at', 'sc'),
  'timeliness.triage-within-deadline': `SELECT 'timeliness.triage-within-deadline', t.patient_id, t.id::text, t.due_at, t.queue, ${doneInTime('t')}, NULL::float8, t.due_at
      FROM t WHERE t.type = 'specialist-referral-triage' AND t.status <> 'cancelled'`,
  'symptoms.prom-completion': `SELECT 'symptoms.prom-completion', r.patient_id, r.rid, r.at, NULL::text, COALESCE(a.in_time, false), NULL::float8, r.nr_at
      FROM req r LEFT JOIN ans a USING (patient_id, rid) WHERE NOT ${cancelled('r', 'a')}`,
  'symptoms.severe-reviewed-in-time': `SELECT 'symptoms.severe-reviewed-in-time', s.patient_id, s.id::text, s.at, t.queue, ${doneInTime('t')}, NULL::float8, t.due_at
      FROM f s JOIN t ON t.patient_id = s.patient_id AND t.command_id = s.value->>'review'
     WHERE s.name = 'severe-score' AND t.status <> 'cancelled'`,
  'symptoms.follow-up-done': `SELECT 'symptoms.follow-up-done', r.patient_id, r.rid, t.completed_at, t.queue, a.rid IS NOT NULL, NULL::float8, r.nr_at
      FROM req r JOIN t ON t.patient_id = r.patient_id AND t.command_id = r.follow_up_of LEFT JOIN ans a ON a.patient_id = r.patient_id AND a.rid = r.rid
     WHERE r.follow_up_of IS NOT NULL AND t.completed_at IS NOT NULL AND NOT (a.rid IS NULL AND ${cancelled('r', 'a')})`,
  'symptoms.follow-up-change': `SELECT 'symptoms.follow-up-change', s.patient_id, s.id::text || '/' || (c->>'item'), s.at, t.queue, true,
      (c->>'to')::float8 - (c->>'from')::float8, NULL::timestamptz
      FROM f s CROSS JOIN LATERAL jsonb_array_elements(s.value->'changes') c
      LEFT JOIN t ON t.patient_id = s.patient_id AND t.command_id = s.value->>'followUpOf'
     WHERE s.name = 'follow-up-scores'`,
  'acp.documented-within-30d': withinDaysOfDiagnosis('acp.documented-within-30d', 'acp.first_at', 'acp'),
  'acp.documented-within-90d': withinDaysOfDiagnosis('acp.documented-within-90d', 'acp.first_at', 'acp'),
  'acp.code-status-recorded': recordedByToday('acp.code-status-recorded', 'acp.code_at'),
  'acp.preferred-place-recorded': recordedByToday('acp.preferred-place-recorded', 'acp.place_at'),
  'eol.sact-last-14d': atDeath(
    'eol.sact-last-14d',
    `EXISTS (SELECT 1 FROM pathway_fact x WHERE x.patient_id = d.patient_id AND x.name = 'sact' AND x.at >= d.at - interval '${daysOf('eol.sact-last-14d', 'lookbackDays')} days' AND x.at <= d.at)`,
  ),
  'eol.ed-visits-gt1-last-30d': atDeath(
    'eol.ed-visits-gt1-last-30d',
    `${admissionsBeforeDeath('emergency', daysOf('eol.ed-visits-gt1-last-30d', 'lookbackDays'))} > 1`,
  ),
  'eol.admissions-gt1-last-30d': atDeath(
    'eol.admissions-gt1-last-30d',
    `${admissionsBeforeDeath('inpatient', daysOf('eol.admissions-gt1-last-30d', 'lookbackDays'))} > 1`,
  ),
  'eol.icu-last-30d': atDeath('eol.icu-last-30d', `${admissionsBeforeDeath('icu', daysOf('eol.icu-last-30d', 'lookbackDays'))} >= 1`),
  'eol.death-in-hospital': atDeath('eol.death-in-hospital', `d.place IS NOT DISTINCT FROM 'hospital'`),
  'eol.specialist-late-or-never': `SELECT 'eol.specialist-late-or-never', d.patient_id, 'death', d.at, NULL::text,
      sc.at IS NULL OR sc.at > d.at - interval '${daysOf('eol.specialist-late-or-never', 'lookbackDays')} days', NULL::float8, NULL::timestamptz FROM death d LEFT JOIN sc USING (patient_id)`,
  'eol.place-of-death-concordant': atDeath('eol.place-of-death-concordant', 'd.place = d.preferred', 'd.preferred IS NOT NULL'),
  'caregivers.assessed': `SELECT 'caregivers.assessed', cg.patient_id, cg.cid, cg.at, a.queue, COALESCE(a.done, false), NULL::float8, NULL::timestamptz
      FROM cg LEFT JOIN (SELECT patient_id, subject, bool_or(status = 'done') AS done, max(queue) AS queue FROM t
                          WHERE type = 'caregiver-assessment' GROUP BY patient_id, subject) a
        ON a.patient_id = cg.patient_id AND a.subject = 'caregiver:' || cg.cid`,
  'caregivers.bereavement-contact-14d': `SELECT 'caregivers.bereavement-contact-14d', d.patient_id, 'death', d.at, b.queue, b.in_time, NULL::float8, d.at + interval '${BEREAVEMENT_DAYS} days'
      FROM death d JOIN (SELECT patient_id, bool_or(status = 'done' AND completed_at <= d2.at + interval '${BEREAVEMENT_DAYS} days') AS in_time, max(queue) AS queue
                           FROM t JOIN death d2 USING (patient_id) WHERE type = 'bereavement-contact' GROUP BY patient_id) b USING (patient_id)`,
  'ops.sla-attainment': `SELECT 'ops.sla-attainment', t.patient_id, t.id::text, t.due_at, t.queue, ${doneInTime('t')}, NULL::float8, t.due_at
      FROM t WHERE t.status <> 'cancelled'`,
  'ops.escalations': `SELECT 'ops.escalations', t.patient_id, t.id::text, t.created_at, t.queue, true, NULL::float8, NULL::timestamptz
      FROM t WHERE t.type = 'escalation'`,
};

/** Equity attributes from the latest registration, and the key worker from the latest completed `assign-key-worker`. */
export const PATIENT_SETS = `
eq AS (SELECT DISTINCT ON (patient_id) patient_id,
              COALESCE((value->>'birthDate')::date, make_date((value->>'birthYear')::int, 7, 1)) AS birth_date,
              (value->>'livesAlone')::boolean AS lives_alone, (value->>'rural')::boolean AS rural,
              (value->>'deprivationQuintile')::smallint AS deprivation, (value->>'interpreterNeeded')::boolean AS interpreter_needed
         FROM f WHERE name = 'equity' ORDER BY patient_id, at DESC, id DESC),
kw AS (SELECT DISTINCT ON (patient_id) patient_id, ${KEY_WORKER} AS key_worker
         FROM t WHERE type = 'assign-key-worker' AND status = 'done' ORDER BY patient_id, completed_at DESC)`;

export const ITEM_COLUMNS =
  'measure_id, patient_id, item_key, index_at, queue, in_numerator, value, known_at, age_75, lives_alone, rural, deprivation, interpreter_needed';

/** Every cohort's items for the patients `$1`, with their equity attributes as at each index date. */
export const INSERT_ITEMS = `
WITH ${BASE_SETS}, ${PATIENT_SETS},
items (measure_id, patient_id, item_key, index_at, queue, in_numerator, value, known_at) AS (
${Object.values(COHORTS).join('\nUNION ALL\n')}
)
INSERT INTO measure_item_fresh (${ITEM_COLUMNS})
SELECT i.measure_id, i.patient_id, i.item_key, i.index_at, i.queue, i.in_numerator, i.value, i.known_at,
       CASE WHEN eq.birth_date IS NULL THEN NULL ELSE eq.birth_date + interval '${AGE_SPLIT_YEARS} years' <= (i.index_at AT TIME ZONE 'UTC') END,
       eq.lives_alone, eq.rural, eq.deprivation, eq.interpreter_needed
  FROM items i LEFT JOIN eq USING (patient_id)`;

export const UPSERT_PATIENTS = `
WITH ${BASE_SETS}, ${PATIENT_SETS}
INSERT INTO measure_patient (patient_id, birth_date, lives_alone, rural, deprivation, interpreter_needed, key_worker)
SELECT pts.patient_id, eq.birth_date, eq.lives_alone, eq.rural, eq.deprivation, eq.interpreter_needed, kw.key_worker
  FROM pts LEFT JOIN eq USING (patient_id) LEFT JOIN kw USING (patient_id)
ON CONFLICT (patient_id) DO UPDATE SET birth_date = EXCLUDED.birth_date, lives_alone = EXCLUDED.lives_alone, rural = EXCLUDED.rural,
  deprivation = EXCLUDED.deprivation, interpreter_needed = EXCLUDED.interpreter_needed, key_worker = EXCLUDED.key_worker`;
