// The operations dashboard (CONTRACT section 7): one card per measure family with its chart and
// table, a 12-month trend, the equity view, drill-down, the weekly digests and CSV of what is shown.
import { disposeChart, disposeCharts, familyChart, groupsChart, trendChart } from './charts.js';
import { api, beginPage, esc, isCurrentPage, show, stopRefresh, who } from './common.js';
import { fraction, interval, keyLabel, tableCsv, targetText, valueText, verdict } from './measure-format.js';
import { digestsSection } from './digests.js';

/** The names of the families and equity splits, as the report gives them (the measure catalogue's). */
const labels = { families: {}, groups: {} };
const state = { from: '', to: '', team: '', measure: 'eol.death-in-hospital', group: 'age' };
const query = (extra = {}) =>
  new URLSearchParams(Object.entries({ from: state.from, to: state.to, team: state.team, ...extra }).filter(([, v]) => v)).toString();
const mayDrillDown = (me) => me.roles.some((r) => r !== 'ops');

function measureRow(m, me) {
  const v = verdict(m);
  const drill = mayDrillDown(me) && m.family !== 'ops' ? `<a href="#/measures/${encodeURIComponent(m.id)}/patients?${query()}">Patients</a>` : '';
  return `<tr data-measure="${esc(m.id)}">
    <th scope="row">${esc(m.label)}</th>
    <td>${esc(valueText(m))}</td><td>${esc(fraction(m))}</td><td>${esc(interval(m))}</td>
    <td>${esc(targetText(m))}</td><td class="${v.cls}">${esc(v.text)}</td>
    <td class="actions"><button class="secondary" data-trend="${esc(m.id)}" aria-label="12-month trend of ${esc(m.label)}">Trend</button>${drill}</td>
  </tr>`;
}

function familyCard(family, measures, me) {
  const misses = measures.filter((m) => m.meetsTarget === false).length;
  return `<section class="card family" aria-labelledby="family-${family}">
    <h2 id="family-${family}">${esc(labels.families[family])}${misses ? ` <span class="misses">— ${misses} below target</span>` : ''}</h2>
    ${measures.some((m) => m.unit === 'percent') ? `<div class="chart" data-chart="${family}" style="height: ${70 + 52 * measures.filter((m) => m.unit === 'percent').length}px"></div>` : ''}
    <table aria-label="${esc(labels.families[family])}"><thead><tr>
      <th scope="col">Measure</th><th scope="col">Value</th><th scope="col">Of</th><th scope="col">95% interval</th>
      <th scope="col">Target</th><th scope="col">Against target</th><th scope="col"><span class="visually-hidden">Actions</span></th>
    </tr></thead><tbody>${measures.map((m) => measureRow(m, me)).join('')}</tbody></table>
  </section>`;
}

function filters(me, teams) {
  return `<form id="filters" class="card actions" aria-label="Filters">
    <label for="from">From</label><input type="date" id="from" value="${esc(state.from)}" />
    <label for="to">To</label><input type="date" id="to" value="${esc(state.to)}" />
    <label for="team">Team</label>
    <select id="team"><option value="">All teams</option>${teams.map((t) => `<option ${t === state.team ? 'selected' : ''}>${esc(t)}</option>`).join('')}</select>
    <button type="submit">Show</button>
    <button type="button" class="secondary" id="csv">Export CSV</button>
    ${me.roles.includes('ops') && !mayDrillDown(me) ? '<span class="muted">Counts of 1 to 4 are hidden to protect privacy.</span>' : ''}
  </form>`;
}

let equityRenders = 0;
let equityChart;
let trendShown;

async function equityView(report) {
  // The choices as they were when asked: a slower answer to an earlier choice is dropped, never shown under a later one.
  const render = ++equityRenders;
  const { group, measure } = state;
  const box = document.getElementById('equity');
  const cohort = report.measures.filter((m) => m.family !== 'ops');
  const groups = await api(`/api/v1/measures?${query({ group })}`);
  if (render !== equityRenders || !box.isConnected) return;
  const m = groups.measures.find((x) => x.id === measure) ?? groups.measures[0];
  const rows = (m.groups ?? []).map((g) => ({ ...g, label: keyLabel(group, g.key) }));
  box.innerHTML = `<h2 id="equity-title">Equity: one measure across every group</h2>
    <div class="actions">
      <label for="equity-measure">Measure</label>
      <select id="equity-measure">${cohort.map((x) => `<option value="${esc(x.id)}" ${x.id === m.id ? 'selected' : ''}>${esc(x.label)}</option>`).join('')}</select>
      <label for="equity-group">Split by</label>
      <select id="equity-group">${Object.entries(labels.groups)
        .map(([k, l]) => `<option value="${k}" ${k === group ? 'selected' : ''}>${esc(l)}</option>`)
        .join('')}</select>
    </div>
    <div class="chart" id="equity-chart"></div>
    <table aria-label="${esc(m.label)} by ${esc(labels.groups[group])}"><thead><tr><th scope="col">${esc(labels.groups[group])}</th><th scope="col">Value</th><th scope="col">Of</th><th scope="col">95% interval</th></tr></thead>
    <tbody>${rows.map((g) => `<tr><th scope="row">${esc(g.label)}</th><td>${esc(valueText(m, g))}</td><td>${esc(fraction(g))}</td><td>${esc(interval(g))}</td></tr>`).join('')}
    <tr><th scope="row">Everyone</th><td>${esc(valueText(m))}</td><td>${esc(fraction(m))}</td><td>${esc(interval(m))}</td></tr></tbody></table>`;
  disposeChart(equityChart);
  equityChart = groupsChart(document.getElementById('equity-chart'), `${m.label} by ${labels.groups[group].toLowerCase()}`, rows, m.target);
  const rerender = () => void equityView(report).catch((e) => (box.querySelector('.error') ?? box).append(e.message));
  document.getElementById('equity-measure').addEventListener('change', (e) => ((state.measure = e.target.value), rerender()));
  document.getElementById('equity-group').addEventListener('change', (e) => ((state.group = e.target.value), rerender()));
}

async function trendView(id, label) {
  const box = document.getElementById('trend');
  const t = await api(
    `/api/v1/measures/${encodeURIComponent(id)}/trend?${new URLSearchParams(state.team ? { months: '12', team: state.team } : { months: '12' })}`,
  );
  const report = JSON.parse(box.dataset.report);
  const m = report.measures.find((x) => x.id === id);
  box.hidden = false;
  box.innerHTML = `<h2 id="trend-title">Trend: ${esc(label)}, last 12 months</h2><div class="chart" id="trend-chart"></div>
    <table aria-label="${esc(label)} by month"><thead><tr><th scope="col">Month</th><th scope="col">Value</th><th scope="col">Of</th><th scope="col">95% interval</th></tr></thead>
    <tbody>${t.months.map((p) => `<tr><th scope="row">${esc(p.month)}</th><td>${esc(valueText(m, p))}</td><td>${esc(fraction(p))}</td><td>${esc(interval(p))}</td></tr>`).join('')}</tbody></table>`;
  disposeChart(trendShown);
  trendShown = trendChart(document.getElementById('trend-chart'), label, t.months, m.target);
  box.scrollIntoView();
  document.getElementById('trend-title').focus?.();
}

function exportCsv() {
  const parts = [...document.querySelectorAll('#main table')]
    .filter((t) => !t.closest('[hidden]'))
    .map((t) => `"${t.getAttribute('aria-label') ?? ''}"\r\n${tableCsv(t)}`);
  const blob = new Blob([`${parts.join('\r\n\r\n')}\r\n`], { type: 'text/csv' });
  const a = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(blob),
    download: `tandem-measures-${state.from || 'last-365-days'}-${state.to || 'today'}${state.team ? `-${state.team}` : ''}.csv`,
  });
  document.body.append(a);
  a.click();
  a.remove();
}

export async function dashboard(opened = beginPage()) {
  stopRefresh();
  const me = await api('/api/v1/me');
  const report = await api(`/api/v1/measures?${query()}`);
  if (!isCurrentPage(opened)) return;
  disposeCharts();
  who.textContent = `${me.sub} (${me.roles.join(', ')})`;
  state.from ||= report.from;
  state.to ||= report.to;
  const teams = ['coordination', 'oncology', 'psychosocial', 'specialist-palliative', 'community-nursing', 'bereavement', 'escalations', 'on-call'];
  labels.families = Object.fromEntries(report.families.map((f) => [f.id, f.label]));
  labels.groups = Object.fromEntries(report.groups.map((g) => [g.id, g.label]));
  const families = report.families.map((f) => f.id);
  const missing = report.measures.filter((m) => m.meetsTarget === false);
  const unjudged = report.measures.filter((m) => m.target && (m.meetsTarget === null || m.meetsTarget === undefined));
  const verdicts = [
    missing.length
      ? `${missing.length} measure${missing.length > 1 ? 's miss' : ' misses'} the target: ${missing.map((m) => esc(m.label)).join('; ')}.`
      : 'No measure is known to miss its target.',
    unjudged.length ? `${unjudged.length} with a target cannot be judged (no data, or hidden small numbers).` : '',
  ].join(' ');
  show(
    `<h1>Dashboard</h1>
     ${filters(me, teams)}
     <p class="card ${missing.length ? 'misses' : unjudged.length ? '' : 'meets'}" role="status">${verdicts} Period ${esc(report.from)} to ${esc(report.to)}${report.team ? `, team ${esc(report.team)}` : ', all teams'}.</p>
     <div id="families">${families
       .map((f) =>
         familyCard(
           f,
           report.measures.filter((m) => m.family === f),
           me,
         ),
       )
       .join('')}</div>
     <section class="card" id="trend" hidden aria-labelledby="trend-title"></section>
     <section class="card" id="equity" aria-labelledby="equity-title"></section>
     <section class="card" id="digests" aria-labelledby="digests-title"></section>
     <p id="dashboard-error" class="error" role="alert"></p>`,
    'Dashboard',
  );
  document.getElementById('trend').dataset.report = JSON.stringify(report);
  for (const f of families) {
    const el = document.querySelector(`[data-chart="${f}"]`);
    if (el)
      familyChart(
        el,
        labels.families[f],
        report.measures.filter((m) => m.family === f),
      );
  }
  const fail = (e) => {
    const el = document.getElementById('dashboard-error');
    if (el && e.status !== 401) el.textContent = e.message;
  };
  document.getElementById('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(state, { from: e.target.from.value, to: e.target.to.value, team: e.target.team.value });
    void dashboard().catch(fail);
  });
  document.getElementById('csv').addEventListener('click', exportCsv);
  document.getElementById('families').addEventListener('click', (e) => {
    const b = e.target.closest('[data-trend]');
    if (b) void trendView(b.dataset.trend, b.closest('tr').querySelector('th').textContent).catch(fail);
  });
  await Promise.all([equityView(report).catch(fail), digestsSection(document.getElementById('digests'), state.team).catch(fail)]);
}
/** The patients behind a measure (clinical roles and admin), on to each patient's page. */
export async function drillDown(id, params, opened = beginPage()) {
  stopRefresh();
  const q = new URLSearchParams(params);
  const page = await api(`/api/v1/measures/${encodeURIComponent(id)}/patients?${q}`);
  const report = await api(`/api/v1/measures?${new URLSearchParams([...q].filter(([k]) => ['from', 'to', 'team'].includes(k)))}`);
  if (!isCurrentPage(opened)) return;
  disposeCharts();
  const m = report.measures.find((x) => x.id === id);
  const next = page.nextCursor
    ? `#/measures/${encodeURIComponent(id)}/patients?${new URLSearchParams({ ...Object.fromEntries(q), cursor: page.nextCursor })}`
    : '';
  show(
    `<h1>${esc(m?.label ?? id)}: the patients behind it</h1>
     <p class="card">${esc(valueText(m))} (${esc(fraction(m))}), period ${esc(report.from)} to ${esc(report.to)}. Opening this list is recorded in the audit log.</p>
     <table aria-label="Patients behind ${esc(m?.label ?? id)}"><thead><tr><th scope="col">Patient</th><th scope="col">Index date</th><th scope="col">Counted in the numerator</th></tr></thead>
     <tbody>${page.items.map((i) => `<tr><td><a href="#/patients/${encodeURIComponent(i.patientId)}">patient ${esc(i.patientId)}</a></td><td>${esc(i.indexDate)}</td><td>${i.inNumerator ? 'yes' : 'no'}</td></tr>`).join('') || '<tr><td colspan="3" class="muted">No patients in this period.</td></tr>'}</tbody></table>
     <p>${next ? `<a href="${esc(next)}">Next page</a> · ` : ''}<a href="#/dashboard">Back to the dashboard</a></p>`,
    `Patients: ${m?.label ?? id}`,
  );
}
