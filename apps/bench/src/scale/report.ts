/** The figures of one `npm run bench:scale`, against the targets of docs/benchmarks.md. */
export interface ScaleResults {
  patients: number;
  steadySeconds: number;
  enrolment: { producedSeconds: number; seconds: number; overallRate: number; steadyRate: number };
  afterEnrolment: { postgres: { database: number; tables: Record<string, number> }; temporalBytes: number; kafkaBytes: number; rss: Record<string, number> };
  steady: {
    rate: number;
    scores: number;
    tasks: number;
    eventToTask: { p50: number; p99: number; max: number };
    reminders: number;
    timerLateness: { p50: number; p99: number; max: number };
    historyPerPathway: { mean: number; max: number; sampled: number };
    continuedAsNew: number;
  };
  afterSteady: { rss: Record<string, number> };
  month: {
    patients: number;
    events: number;
    timeScale: number;
    rowBytes: Record<string, number>;
    rowBytesPerPatient: number;
    historyEventsPerPathwayMonth: number;
    pathwayMonths: number;
    runsPerPathway: number;
    months: number;
    /** ADR 0017: pathways still open (a running run) or ended, the history bytes of their runs, and pathway_end's rows. */
    lifetime: { open: number; ended: number; died: number; openRunBytes: number; closedRunBytes: number; endedRowBytes: number };
    staff: { completed: number; late: number; conflicts: number };
  };
  final: { postgres: { database: number; tables: Record<string, number> }; temporalBytes: number; kafkaBytes: number };
  peaks: Record<string, number>;
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '—');
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

export function renderScaleReport(r: ScaleResults): string {
  const e = r.enrolment;
  const s = r.steady;
  const pgPerPatient = r.afterEnrolment.postgres.database / r.patients;
  const lines = [
    `| target | measured | |`,
    `| --- | --- | --- |`,
    `| ${r.patients.toLocaleString('en')} open pathways held | ${r.patients.toLocaleString('en')} enrolled, all open through the steady state | ${verdict(true)} |`,
    `| enrolment backlog drained at ≥ 80 pathways/s | ${e.steadyRate.toFixed(0)}/s between 10% and 90% (${e.overallRate.toFixed(0)}/s overall: ${e.seconds.toFixed(0)} s) | ${verdict(e.steadyRate >= 80)} |`,
    `| p99 event-to-task ≤ 250 ms at ${s.rate} events/s with all open | p50 ${ms(s.eventToTask.p50)}, p99 ${ms(s.eventToTask.p99)}, max ${ms(s.eventToTask.max)} (${s.tasks} of ${s.scores} scores) | ${verdict(s.eventToTask.p99 <= 250)} |`,
    `| timer lateness p99 ≤ 5 s at steady state | p50 ${ms(s.timerLateness.p50)}, p99 ${ms(s.timerLateness.p99)}, max ${ms(s.timerLateness.max)} (${s.reminders} reminders) | ${verdict(s.timerLateness.p99 <= 5000)} |`,
    `| PostgreSQL ≤ 20 KB per patient after a month of care, retention on | ${kb(r.month.rowBytesPerPatient)} per simulated patient (${r.month.patients} patients, a month at time scale ${r.month.timeScale}); the whole database after enrolment: ${kb(pgPerPatient)} per pathway | ${verdict(r.month.rowBytesPerPatient <= 20 * 1024)} |`,
    '',
    `Memory (RSS, MB), peak over the run / after the steady state: ${Object.entries(r.peaks)
      .map(([k, v]) => `${k} ${v} / ${r.afterSteady.rss[k] ?? '—'}`)
      .join('; ')}.`,
    '',
    `Disk after enrolment: Temporal ${mb(r.afterEnrolment.temporalBytes)} (${kb(r.afterEnrolment.temporalBytes / r.patients)} per pathway), PostgreSQL ${mb(r.afterEnrolment.postgres.database)}, Kafka (this run's topics) ${mb(r.afterEnrolment.kafkaBytes)}.`,
    `PostgreSQL by table after enrolment: ${Object.entries(r.afterEnrolment.postgres.tables)
      .map(([t, b]) => `${t} ${mb(b)}`)
      .join(', ')}.`,
    `At the end: Temporal ${mb(r.final.temporalBytes)}, PostgreSQL ${mb(r.final.postgres.database)}, Kafka ${mb(r.final.kafkaBytes)}.`,
    '',
    `History: ${s.historyPerPathway.mean.toFixed(1)} events per enrolled pathway on average (max ${s.historyPerPathway.max}, ${s.historyPerPathway.sampled} sampled); ${s.continuedAsNew} runs continued as new.`,
    `${r.month.months === 1 ? 'A month' : `${r.month.months} months`} of care (${r.month.patients} simulated patients, ${r.month.pathwayMonths.toFixed(0)} pathway-months, ${r.month.events} clinical events, simulated staff completed ${r.month.staff.completed} tasks): ${r.month.historyEventsPerPathwayMonth.toFixed(0)} history events per pathway-month, ${r.month.runsPerPathway.toFixed(2)} runs per pathway; PostgreSQL bytes per patient by table (with indexes): ${Object.entries(
      r.month.rowBytes,
    )
      .map(([t, b]) => `${t} ${kb(b / r.month.patients)}`)
      .join(', ')}.`,
    lifetimeLine(r.month),
  ];
  return lines.join('\n');
}

/** What Temporal and PostgreSQL keep of each pathway once its duties are over (ADR 0017). */
function lifetimeLine(m: ScaleResults['month']): string {
  const l = m.lifetime;
  const per = (bytes: number, n: number) => (n > 0 ? kb(bytes / n) : '—');
  return (
    `Pathways at the end of the care period: ${l.died} of ${m.patients} patients died in it; ${l.ended} pathways ended (their workflows completed: ` +
    `Temporal keeps their runs for the namespace's retention only, ${per(l.closedRunBytes, m.patients)} of closed-run history per patient; ` +
    `PostgreSQL keeps pathway_end, ${per(l.endedRowBytes, l.ended)} each); ${l.open} still open, each keeping its running run's history in Temporal ` +
    `for as long as it is open (${per(l.openRunBytes, l.open)} each).`
  );
}
