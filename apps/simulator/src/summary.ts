import type { Cohort } from './cohort';

const pct = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`);

/** What a cohort is, in figures a service lead recognises: who, what happened, where people died. */
export function cohortFigures(c: Cohort) {
  const deaths = c.patients.filter((p) => p.diesInWindow);
  const places: Record<string, number> = {};
  for (const p of deaths) places[p.placeOfDeath] = (places[p.placeOfDeath] ?? 0) + 1;
  const byType: Record<string, number> = {};
  for (const e of c.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  const sites: Record<string, number> = {};
  for (const p of c.patients) sites[p.site] = (sites[p.site] ?? 0) + 1;
  const proms = c.events.filter((e) => e.type === 'prom.submitted' && e.data.instrument === 'ESAS-r');
  const severe = proms.filter((e) => Object.values(e.data.scores as Record<string, number>).some((s) => s >= 7)).length;
  return {
    patients: c.patients.length,
    deaths: deaths.length,
    places,
    byType,
    sites,
    esasResponses: proms.length,
    esasWithSevere: severe,
    aged75: c.patients.filter((p) => p.ageAtDiagnosis >= 75).length,
  };
}

export function summarise(c: Cohort, run: { produced: number; seconds: number; staff?: { completed: number; late: number; conflicts: number } }): string {
  const f = cohortFigures(c);
  const lines = [
    '',
    'Simulated cohort',
    `  patients            ${f.patients} (${Object.entries(f.sites)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')})`,
    `  aged 75 or over     ${pct(f.aged75, f.patients)}`,
    `  died in the window  ${f.deaths} — ${Object.entries(f.places)
      .sort(([, a], [, b]) => b - a)
      .map(([p, n]) => `${p} ${pct(n, f.deaths)}`)
      .join(', ')}`,
    `  ESAS-r answers      ${f.esasResponses}, ${pct(f.esasWithSevere, f.esasResponses)} with an item at 7–10`,
    `  events produced     ${run.produced} of ${c.events.length} in ${run.seconds.toFixed(1)} s (${(run.produced / Math.max(run.seconds, 0.001)).toFixed(0)}/s, bridge caught up)`,
    ...Object.entries(f.byType)
      .sort(([, a], [, b]) => b - a)
      .map(([t, n]) => `    ${t.padEnd(22)} ${n}`),
    ...(run.staff
      ? [
          `  staff               ${run.staff.completed} tasks completed (${run.staff.late} after their due time), ${run.staff.conflicts} already closed by the pathway`,
        ]
      : []),
    '',
  ];
  return lines.join('\n');
}
