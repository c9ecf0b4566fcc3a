// @ts-check
// The operations dashboard (docs/contract.md section 7): one card per measure family with its chart and
// table, a 12-month trend, the equity view, drill-down, the weekly digests and CSV of what is shown.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { disposeCharts, familyChart, groupsChart, trendChart } from './charts.js';
import { api, beginPage, isCurrentPage, redrawPage, say, show, signedIn, stopRefresh, words, table } from './common.js';
import { digestsSection, loadDigests } from './digests.js';
import { fraction, interval, keyLabel, tableCsv, targetText, valueText, verdict } from './measure-format.js';

/** @typedef {import('./types.js').MeasuresReport} MeasuresReport */
/** @typedef {import('./types.js').Measure} Measure */
/** @typedef {import('./types.js').Me} Me */
/** @typedef {{ months: Array<{ month: string; value: number | null; numerator?: number | null; denominator?: number | null; ci?: [number, number] | null }> }} Trend */

const state = { from: '', to: '', team: '', measure: 'eol.death-in-hospital', group: 'age' };
/** @param {Record<string, string>} [extra] */
const query = (extra = {}) =>
  new URLSearchParams(Object.entries({ from: state.from, to: state.to, team: state.team, ...extra }).filter(([, v]) => v)).toString();
/** @param {Me} me */
const mayDrillDown = (me) => me.roles.some((r) => r !== 'ops');

/**
 * What the page shows; `draw` renders it again after each change. An answer to an earlier choice
 * that arrives after a later one is dropped (`asked`), never shown under the later choice.
 * @type {{ me?: Me; report?: MeasuresReport; equity?: MeasuresReport; trend?: { id: string; label: string; data: Trend }; error: string; asked: number; opened: number }}
 */
const view = { error: '', asked: 0, opened: 0 };

/** @param {string} family */
const familyLabel = (family) => view.report?.families.find((f) => f.id === family)?.label ?? family;
/** @param {string} group */
const groupLabel = (group) => view.report?.groups.find((g) => g.id === group)?.label ?? group;

const FIGURE_COLUMNS = ['Value', 'Of', '95% interval'];
/**
 * A row of a figure in the measure's unit: a group, a month, everyone.
 * @param {string} label @param {Measure} m @param {import('./measure-format.js').Figure} f
 */
const figureRow = (label, m, f) =>
  html`<tr>
    <th scope="row">${label}</th>
    <td>${valueText(m, f)}</td>
    <td>${fraction(f)}</td>
    <td>${interval(f)}</td>
  </tr>`;

/** @param {Measure} m @param {Me} me */
function measureRow(m, me) {
  const v = verdict(m);
  return html`<tr data-measure=${m.id}>
    <th scope="row">${m.label}</th>
    <td>${valueText(m)}</td>
    <td>${fraction(m)}</td>
    <td>${interval(m)}</td>
    <td>${targetText(m)}</td>
    <td class=${v.cls}>${v.text}</td>
    <td class="actions">
      <button class="secondary" @click=${() => void showTrend(m.id, m.label)} aria-label="12-month trend of ${m.label}">Trend</button>
      ${mayDrillDown(me) && m.family !== 'ops' ? html`<a href="#/measures/${encodeURIComponent(m.id)}/patients?${query()}">Patients</a>` : nothing}
    </td>
  </tr>`;
}

/** @param {string} family @param {Measure[]} measures @param {Me} me */
function familyCard(family, measures, me) {
  const misses = measures.filter((m) => m.meetsTarget === false).length;
  const percent = measures.filter((m) => m.unit === 'percent').length;
  return html`<section class="card family" aria-labelledby="family-${family}">
    <h2 id="family-${family}">${familyLabel(family)}${misses ? html` <span class="misses">— ${misses} below target</span>` : nothing}</h2>
    ${percent ? html`<div class="chart" data-chart=${family}></div>` : nothing}
    <table aria-label=${familyLabel(family)}>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col">Value</th>
          <th scope="col">Of</th>
          <th scope="col">95% interval</th>
          <th scope="col">Target</th>
          <th scope="col">Against target</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${measures.map((m) => measureRow(m, me))}
      </tbody>
    </table>
  </section>`;
}

/** @param {Me} me @param {string[]} teams @param {Record<string, string>} teamWords */
function filters(me, teams, teamWords) {
  return html`<form id="filters" class="card actions" aria-label="Filters" @submit=${applyFilters}>
    <label for="from">From</label><input type="date" id="from" name="from" .value=${state.from} /> <label for="to">To</label
    ><input type="date" id="to" name="to" .value=${state.to} />
    <label for="team">Team</label>
    <select id="team" name="team">
      <option value="">All teams</option>
      ${teams.map((t) => html`<option value=${t} ?selected=${t === state.team}>${say(teamWords, t)}</option>`)}
    </select>
    <button type="submit">Show</button>
    <button type="button" class="secondary" @click=${exportCsv}>Export CSV</button>
    ${me.roles.includes('ops') && !mayDrillDown(me) ? html`<span class="muted">Counts of 1 to 4 are hidden to protect privacy.</span>` : nothing}
  </form>`;
}

function equitySection() {
  const report = view.report;
  const groups = view.equity;
  if (!report) return nothing;
  const cohort = report.measures.filter((m) => m.family !== 'ops');
  const m = groups?.measures.find((x) => x.id === state.measure) ?? groups?.measures[0];
  const rows = (m?.groups ?? []).map((g) => ({ ...g, label: keyLabel(state.group, g.key) }));
  return html`<h2 id="equity-title">Equity: one measure across every group</h2>
    <div class="actions">
      <label for="equity-measure">Measure</label>
      <select
        id="equity-measure"
        @change=${(/** @type {Event} */ e) => ((state.measure = /** @type {HTMLSelectElement} */ (e.target).value), void loadEquity())}
      >
        ${cohort.map((x) => html`<option value=${x.id} ?selected=${x.id === state.measure}>${x.label}</option>`)}
      </select>
      <label for="equity-group">Split by</label>
      <select id="equity-group" @change=${(/** @type {Event} */ e) => ((state.group = /** @type {HTMLSelectElement} */ (e.target).value), void loadEquity())}>
        ${report.groups.map((g) => html`<option value=${g.id} ?selected=${g.id === state.group}>${g.label}</option>`)}
      </select>
    </div>
    ${
      m
        ? html`<div class="chart" id="equity-chart"></div>
            ${table(`${m.label} by ${groupLabel(state.group)}`, [groupLabel(state.group), ...FIGURE_COLUMNS], [...rows.map((g) => figureRow(g.label, m, g)), figureRow('Everyone', m, m)], 'No groups.')}`
        : html`<p class="muted">Loading…</p>`
    }`;
}

function trendSection() {
  const t = view.trend;
  const m = t && view.report?.measures.find((x) => x.id === t.id);
  if (!t || !m) return nothing;
  return html`<section class="card" id="trend" aria-labelledby="trend-title">
    <h2 id="trend-title" tabindex="-1">Trend: ${t.label}, last 12 months</h2>
    <div class="chart" id="trend-chart"></div>
    ${table(
      `${t.label} by month`,
      ['Month', ...FIGURE_COLUMNS],
      t.data.months.map((p) => figureRow(p.month, m, p)),
      'No months.',
    )}
  </section>`;
}

/** @param {Me} me @param {MeasuresReport} report @param {Record<string, string>} teamWords */
function page(me, report, teamWords) {
  const missing = report.measures.filter((m) => m.meetsTarget === false);
  const unjudged = report.measures.filter((m) => m.target && (m.meetsTarget === null || m.meetsTarget === undefined));
  const verdicts = [
    missing.length
      ? `${missing.length} measure${missing.length > 1 ? 's miss' : ' misses'} the target: ${missing.map((m) => m.label).join('; ')}.`
      : 'No measure is known to miss its target.',
    unjudged.length ? `${unjudged.length} with a target cannot be judged (no data, or hidden small numbers).` : '',
  ].join(' ');
  return html`<h1>Dashboard</h1>
    ${filters(me, Object.keys(teamWords), teamWords)}
    <p class="card ${missing.length ? 'misses' : unjudged.length ? '' : 'meets'}" role="status">
      ${verdicts} Period ${report.from} to ${report.to}${report.team ? `, team ${say(teamWords, report.team)}` : ', all teams'}.
    </p>
    <div id="families">
      ${report.families.map((f) =>
        familyCard(
          f.id,
          report.measures.filter((m) => m.family === f.id),
          me,
        ),
      )}
    </div>
    ${trendSection()}
    <section class="card" id="equity" aria-labelledby="equity-title">${equitySection()}</section>
    <section class="card" id="digests" aria-labelledby="digests-title">${digestsSection(teamWords, () => void draw())}</section>
    <p id="dashboard-error" class="error" role="alert">${view.error}</p>`;
}

/** Renders the page again and redraws every chart from what it shows. */
async function draw() {
  const { me, report } = view;
  if (!me || !report || !isCurrentPage(view.opened)) return;
  const v = await words();
  redrawPage(page(me, report, v.queues));
  disposeCharts();
  for (const f of report.families) {
    const el = /** @type {HTMLElement | null} */ (document.querySelector(`[data-chart="${f.id}"]`));
    if (el)
      familyChart(
        el,
        familyLabel(f.id),
        report.measures.filter((m) => m.family === f.id),
      );
  }
  const equityEl = document.getElementById('equity-chart');
  const m = view.equity?.measures.find((x) => x.id === state.measure);
  if (equityEl && m)
    groupsChart(
      equityEl,
      `${m.label} by ${groupLabel(state.group).toLowerCase()}`,
      (m.groups ?? []).map((g) => ({ label: keyLabel(state.group, g.key), value: g.value })),
      m.target,
    );
  const trendEl = document.getElementById('trend-chart');
  const t = view.trend;
  const tm = t && report.measures.find((x) => x.id === t.id);
  if (trendEl && t && tm) trendChart(trendEl, t.label, t.data.months, tm.target);
}

/** @param {unknown} e */
function fail(e) {
  const err = /** @type {Error & { status?: number }} */ (e);
  if (err.status === 401) return;
  view.error = err.message;
  void draw();
}

async function loadEquity() {
  const asked = ++view.asked;
  const groups = /** @type {MeasuresReport} */ (await api(`/api/v1/measures?${query({ group: state.group })}`).catch(fail));
  if (asked !== view.asked || !groups) return;
  view.equity = groups;
  await draw();
}

/** @param {string} id @param {string} label */
async function showTrend(id, label) {
  const params = new URLSearchParams(state.team ? { months: '12', team: state.team } : { months: '12' });
  const data = /** @type {Trend} */ (await api(`/api/v1/measures/${encodeURIComponent(id)}/trend?${params}`).catch(fail));
  if (!data) return;
  view.trend = { id, label, data };
  await draw();
  document.getElementById('trend')?.scrollIntoView();
  document.getElementById('trend-title')?.focus();
}

/** @param {SubmitEvent} e */
function applyFilters(e) {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.target);
  const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value;
  Object.assign(state, { from: field('from'), to: field('to'), team: field('team') });
  void dashboard().catch(fail);
}

function exportCsv() {
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  const parts = [...main.querySelectorAll('table')]
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
  const [me, report, v] = await Promise.all([signedIn(), /** @type {Promise<MeasuresReport>} */ (api(`/api/v1/measures?${query()}`)), words()]);
  if (!isCurrentPage(opened)) return;
  Object.assign(view, { me, report, opened, error: '', equity: undefined, trend: undefined });
  state.from ||= report.from;
  state.to ||= report.to;
  show(page(me, report, v.queues), 'Dashboard');
  await draw();
  await Promise.all([loadEquity(), loadDigests(state.team).then(draw).catch(fail)]);
}
