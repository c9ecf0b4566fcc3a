import type { PoolClient } from 'pg';

/**
 * A synthetic network's two years of stored history, generated in SQL (not through the pathway):
 * the facts, tasks and clinical events the pathway and the bridge write, in plausible proportions.
 * Deterministic: every "random" choice is a hash of the patient number and a salt. `$1` the number
 * of patients, `$2` the last day of the history ("today"). The proportions only have to give every
 * measure something to count; apps/simulator (issue 13) is where journeys are made realistic.
 */
const h = (salt: string, mod: number, of = 'p.i') => `(abs(hashtext((${of})::text || '${salt}')) % ${mod})`;
const bool3 = (salt: string, truePct: number) => `CASE WHEN ${h(salt, 100)} < 10 THEN NULL WHEN ${h(salt, 100)} < 10 + ${truePct} THEN true ELSE false END`;
const fact = (name: string, value: string, at: string, from: string, evidence = `'{}'::jsonb`) =>
  `INSERT INTO pathway_fact (idempotency_key, patient_id, name, value, at, rule, evidence)
   SELECT 'bench/' || gen_random_uuid(), p.pid, '${name}', ${value}, ${at}, 'bench', ${evidence} FROM ${from}`;

export const SYNTHETIC_HISTORY: Array<{ what: string; sql: string }> = [
  {
    what: 'patients',
    sql: `CREATE TABLE bench_patient AS
      SELECT i, 'bench-' || i AS pid,
             ($2::date - 729 + ${h('dx', 730, 'i')}) AS dx,
             ${h('sc', 100, 'i')} < 70 AS has_sc, ${h('scd', 160, 'i')} AS sc_days,
             ${h('acp', 100, 'i')} < 55 AS has_acp, ${h('acpd', 150, 'i')} AS acp_days,
             ${h('cs', 100, 'i')} < 70 AS code_status, ${h('pp', 100, 'i')} < 60 AS has_place,
             (ARRAY['home', 'hospital', 'hospice', 'care-home'])[1 + ${h('ppw', 4, 'i')}] AS preferred,
             ${h('surv', 540, 'i')} + 21 AS surv_days,
             (ARRAY['hospital', 'hospital', 'hospital', 'hospital', 'home', 'home', 'home', 'care-home', 'care-home', 'hospice'])[1 + ${h('pod', 10, 'i')}] AS place,
             'kw-' || ${h('kw', 250, 'i')} AS key_worker
        FROM generate_series(1, $1::int) i`,
  },
  {
    what: 'deaths',
    sql: `ALTER TABLE bench_patient ADD COLUMN died timestamptz; UPDATE bench_patient SET died = (dx + surv_days)::timestamp AT TIME ZONE 'UTC' + interval '10 hours' WHERE dx + surv_days < $2::date AND ${h('dies', 100, 'i')} < 85 AND $1::int > 0`,
  },
  {
    what: 'equity and diagnoses',
    sql: `${fact(
      'equity',
      `jsonb_build_object('birthDate', ($2::date - 16000 - ${h('age', 18000)})::text, 'birthYear', extract(year FROM $2::date - 16000 - ${h('age', 18000)})::int,
         'livesAlone', ${bool3('alone', 25)}, 'rural', ${bool3('rural', 18)}, 'interpreterNeeded', ${bool3('interp', 6)},
         'deprivationQuintile', CASE WHEN ${h('dep', 10)} = 0 THEN NULL ELSE 1 + ${h('depq', 5)} END)`,
      `(p.dx - 3)::timestamp AT TIME ZONE 'UTC'`,
      'bench_patient p',
    )};
    ${fact('advanced-diagnosis', `jsonb_build_object('cancerType', 'C34.9', 'diagnosedAt', p.dx::text)`, `p.dx::timestamp AT TIME ZONE 'UTC' + interval '9 hours'`, 'bench_patient p')}`,
  },
  {
    what: 'specialist contacts, ACP, deaths',
    sql: `${fact('first-specialist-contact', `to_jsonb(p.dx + p.sc_days)`, `(p.dx + p.sc_days)::timestamp AT TIME ZONE 'UTC' + interval '11 hours'`, 'bench_patient p WHERE p.has_sc AND (p.died IS NULL OR p.dx + p.sc_days < p.died)')};
    ${fact(
      'acp-documented',
      `jsonb_strip_nulls(jsonb_build_object('codeStatus', CASE WHEN p.code_status THEN 'dnacpr' END, 'preferredPlaceOfDeath', CASE WHEN p.has_place THEN p.preferred END))`,
      `(p.dx + p.acp_days)::timestamp AT TIME ZONE 'UTC' + interval '12 hours'`,
      'bench_patient p WHERE p.has_acp AND (p.dx + p.acp_days) < $2::date AND $1::int > 0',
    )};
    ${fact('death', `jsonb_build_object('placeOfDeath', p.place, 'preferred', CASE WHEN p.has_acp AND p.has_place THEN p.preferred END)`, 'p.died', 'bench_patient p WHERE p.died IS NOT NULL')}`,
  },
  {
    what: 'SACT and admissions',
    sql: `${fact('sact', `'{}'::jsonb`, `p.dx::timestamp AT TIME ZONE 'UTC' + (s.n * 21 + 1) * interval '1 day'`, `bench_patient p CROSS JOIN generate_series(0, 7) s(n) WHERE p.dx + s.n * 21 + 1 < COALESCE(p.died::date, $2::date) AND $1::int > 0`)};
    ${fact(
      'admission',
      `jsonb_build_object('setting', (ARRAY['emergency', 'emergency', 'inpatient', 'inpatient', 'icu'])[1 + ${h('set', 5, `p.i * 10 + a.n`)}], 'encounterId', 'e' || a.n)`,
      `p.died - (2 + ${h('adm', 50, `p.i * 10 + a.n`)}) * interval '1 day'`,
      `bench_patient p CROSS JOIN generate_series(1, 3) a(n) WHERE p.died IS NOT NULL AND ${h('admits', 4, `p.i * 10 + a.n`)} < 2`,
    )}`,
  },
  {
    what: 'PROM requests and answers (every 30 days)',
    sql: `CREATE TABLE bench_request AS
      SELECT p.i, p.pid, r.n, 'bench-' || p.i || '-prom-' || r.n AS rid, (p.dx + 30 * r.n)::timestamp AT TIME ZONE 'UTC' + interval '8 hours' AS at,
             ${h('ans', 100, 'p.i * 100 + r.n')} AS roll, ${h('sev', 100, 'p.i * 100 + r.n')} AS sev
        FROM bench_patient p CROSS JOIN generate_series(1, 24) r(n)
       WHERE p.dx + 30 * r.n < COALESCE(p.died::date, $2::date) AND $1::int > 0;
      ${fact('prom-requested', `jsonb_build_object('requestId', p.rid, 'instruments', '["ESAS-r","DT"]'::jsonb, 'notReturnedAt', p.at + interval '5 days')`, 'p.at', 'bench_request p')};
      ${fact('prom-answered', `jsonb_build_object('requestId', p.rid, 'responseId', p.rid || '-r', 'late', p.roll >= 80)`, `p.at + (1 + p.roll % 6) * interval '1 day'`, "bench_request p WHERE p.roll < 85 AND p.at + interval '6 days' < $2::date")};
      INSERT INTO clinical_event (id, patient_id, type, time, source, envelope, produced_at, received_at)
      SELECT p.rid || '-r', p.pid, 'prom.submitted', p.at + (1 + p.roll % 6) * interval '1 day', 'bench', '{}', p.at + (1 + p.roll % 6) * interval '1 day', p.at + (1 + p.roll % 6) * interval '1 day'
        FROM bench_request p WHERE p.roll < 85 AND p.at + interval '6 days' < $2::date`,
  },
  {
    what: 'severe scores, their reviews and follow-ups',
    sql: `${fact('severe-score', `jsonb_build_object('responseId', p.rid || '-r', 'items', '["tiredness"]'::jsonb, 'review', 'review-' || p.rid)`, `p.at + (1 + p.roll % 6) * interval '1 day'`, `bench_request p WHERE p.roll < 85 AND p.sev < 30 AND p.at + interval '6 days' < $2::date`)};
      INSERT INTO task (idempotency_key, patient_id, workflow_id, command_id, type, subject, queue, priority, status, due_at, created_at, completed_at, completed_by, reason_rule, reason_evidence, source_event_id)
      SELECT 'bench/' || p.rid || '/review', p.pid, 'pathway-' || p.pid, 'review-' || p.rid, 'symptom-review', 'symptom-review:' || p.rid, 'oncology', 'urgent',
             CASE WHEN p.sev < 24 THEN 'done' WHEN p.sev < 27 THEN 'cancelled' ELSE 'open' END,
             p.at + (1 + p.roll % 6) * interval '1 day' + interval '2 days', p.at + (1 + p.roll % 6) * interval '1 day' + interval '2 seconds',
             CASE WHEN p.sev < 24 THEN p.at + (1 + p.roll % 6) * interval '1 day' + (p.sev % 4) * interval '1 day' END, 'dr-' || (p.i % 40), '2.2.triggers.severe-physical', '{}', p.rid || '-r'
        FROM bench_request p WHERE p.roll < 85 AND p.sev < 30 AND p.at + interval '6 days' < $2::date;
      ${fact(
        'prom-requested',
        `jsonb_build_object('requestId', p.rid || '-fu', 'instruments', '["ESAS-r"]'::jsonb, 'notReturnedAt', p.at + interval '19 days', 'followUpOf', 'review-' || p.rid)`,
        `p.at + interval '14 days'`,
        `bench_request p WHERE p.roll < 85 AND p.sev < 20 AND p.at + interval '20 days' < $2::date`,
      )};
      ${fact(
        'follow-up-scores',
        `jsonb_build_object('requestId', p.rid || '-fu', 'followUpOf', 'review-' || p.rid, 'changes', jsonb_build_array(jsonb_build_object('item', 'tiredness', 'from', 8, 'to', 3 + p.roll % 7)))`,
        `p.at + interval '16 days'`,
        `bench_request p WHERE p.roll < 70 AND p.sev < 20 AND p.at + interval '20 days' < $2::date`,
      )};
      ${fact('prom-answered', `jsonb_build_object('requestId', p.rid || '-fu', 'responseId', p.rid || '-fu-r', 'late', false)`, `p.at + interval '16 days'`, `bench_request p WHERE p.roll < 70 AND p.sev < 20 AND p.at + interval '20 days' < $2::date`)}`,
  },
  {
    what: 'other tasks (key worker, triage, caregivers, bereavement, escalations)',
    sql: `INSERT INTO task (idempotency_key, patient_id, workflow_id, command_id, type, subject, queue, priority, status, due_at, created_at, completed_at, completed_by, key_worker, reason_rule, reason_evidence)
      SELECT 'bench/' || p.pid || '/' || x.type, p.pid, 'pathway-' || p.pid, x.type, x.type, x.subject, x.queue, 'soon', x.status, x.due, x.created, x.completed, 'coord-' || (p.i % 30), x.kw, 'bench', '{}'
        FROM bench_patient p CROSS JOIN LATERAL (VALUES
          ('assign-key-worker', 'assign-key-worker', 'coordination', 'done', p.dx::timestamp AT TIME ZONE 'UTC' + interval '3 days', p.dx::timestamp AT TIME ZONE 'UTC' + interval '9 hours',
             p.dx::timestamp AT TIME ZONE 'UTC' + (1 + ${h('kwd', 4)}) * interval '1 day', p.key_worker),
          ('specialist-referral-triage', 'specialist-referral-triage', 'specialist-palliative', CASE WHEN p.has_sc THEN 'done' ELSE 'open' END,
             (p.dx + GREATEST(p.sc_days - 2, 1))::timestamp AT TIME ZONE 'UTC', (p.dx + GREATEST(p.sc_days - 7, 0))::timestamp AT TIME ZONE 'UTC',
             CASE WHEN p.has_sc THEN (p.dx + GREATEST(p.sc_days - 2, 1))::timestamp AT TIME ZONE 'UTC' + (${h('tri', 3)} - 1) * interval '1 day' END, NULL),
          ('caregiver-assessment', 'caregiver:cg-' || p.i, 'psychosocial', CASE WHEN ${h('cga', 10)} < 7 THEN 'done' ELSE 'open' END,
             p.dx::timestamp AT TIME ZONE 'UTC' + interval '14 days', p.dx::timestamp AT TIME ZONE 'UTC' + interval '10 days',
             CASE WHEN ${h('cga', 10)} < 7 THEN p.dx::timestamp AT TIME ZONE 'UTC' + (10 + ${h('cgd', 10)}) * interval '1 day' END, NULL),
          ('escalation', 'escalation:' || p.i, 'escalations', 'done', p.dx::timestamp AT TIME ZONE 'UTC' + interval '40 days', p.dx::timestamp AT TIME ZONE 'UTC' + interval '39 days',
             p.dx::timestamp AT TIME ZONE 'UTC' + interval '39 days 2 hours', NULL)
        ) x(type, subject, queue, status, due, created, completed, kw)
       WHERE (x.type <> 'specialist-referral-triage' OR ${h('ref', 10)} < 6) AND (x.type <> 'caregiver-assessment' OR ${h('cg', 10)} < 8)
         AND (x.type <> 'escalation' OR ${h('esc', 20)} = 0) AND x.created < $2::date;
      ${fact('caregiver-consent-to-share', 'to_jsonb(true)', `p.dx::timestamp AT TIME ZONE 'UTC' + interval '10 days'`, `bench_patient p WHERE ${h('cg', 10)} < 8 AND p.dx + 10 < $2::date`, `jsonb_build_object('caregiverId', 'cg-' || p.i)`)};
      INSERT INTO task (idempotency_key, patient_id, workflow_id, command_id, type, subject, queue, priority, status, due_at, created_at, completed_at, completed_by, reason_rule, reason_evidence)
      SELECT 'bench/' || p.pid || '/bereavement', p.pid, 'pathway-' || p.pid, 'bereavement-contact', 'bereavement-contact', 'bereavement-contact', 'bereavement', 'soon',
             CASE WHEN ${h('bc', 10)} < 8 AND p.died + interval '20 days' < $2::date THEN 'done' ELSE 'open' END, p.died + interval '14 days', p.died + interval '1 hour',
             CASE WHEN ${h('bc', 10)} < 8 AND p.died + interval '20 days' < $2::date THEN p.died + (5 + ${h('bcd', 14)}) * interval '1 day' END, 'bereave-1', 'bench', '{}'
        FROM bench_patient p WHERE p.died IS NOT NULL`,
  },
  {
    what: 'pathway stages',
    sql: `INSERT INTO pathway_stage (patient_id, stage)
      SELECT pid, CASE WHEN died IS NOT NULL THEN 'bereavement' WHEN has_sc THEN 'specialist-involvement' ELSE 'enrolled' END FROM bench_patient WHERE $1::int > 0 AND $2::date IS NOT NULL
      ON CONFLICT (patient_id) DO UPDATE SET stage = EXCLUDED.stage`,
  },
];

/** Runs the generator in one transaction per part; reports each part's time. */
export async function generateHistory(client: PoolClient, patients: number, today: string, say: (s: string) => void): Promise<void> {
  if (!Number.isInteger(patients) || patients < 1 || !/^\d{4}-\d{2}-\d{2}$/.test(today))
    throw new Error('patients must be a positive whole number and today a date');
  for (const part of SYNTHETIC_HISTORY) {
    const t0 = Date.now();
    await client.query('BEGIN');
    const sql = part.sql.replaceAll('$1::int', `${patients}::int`).replaceAll('$2::date', `'${today}'::date`);
    for (const statement of sql.split(/;\s*\n/).filter((s) => s.trim())) await client.query(statement);
    await client.query('COMMIT');
    say(`  ${part.what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}
