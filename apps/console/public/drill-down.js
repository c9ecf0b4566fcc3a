// @ts-check
// The patients behind a measure (clinical roles and admin), on to each patient's page; audited by the API.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { disposeCharts } from './charts.js';
import { api, beginPage, isCurrentPage, show, signedIn, stopRefresh } from './common.js';
import { fraction, valueText } from './measure-format.js';

/** @typedef {import('./types.js').MeasuresReport} MeasuresReport */

/** The patients behind a measure (clinical roles and admin), on to each patient's page. @param {string} id @param {string} params @param {number} opened */
export async function drillDown(id, params, opened = beginPage()) {
  stopRefresh();
  const q = new URLSearchParams(params);
  const [list, report] = await Promise.all([
    /** @type {Promise<{ items: Array<{ patientId: string; indexDate: string; inNumerator: boolean }>; nextCursor: string | null }>} */ (
      api(`/api/v1/measures/${encodeURIComponent(id)}/patients?${q}`)
    ),
    /** @type {Promise<MeasuresReport>} */ (api(`/api/v1/measures?${new URLSearchParams([...q].filter(([k]) => ['from', 'to', 'team'].includes(k)))}`)),
    signedIn(),
  ]);
  if (!isCurrentPage(opened)) return;
  disposeCharts();
  const m = report.measures.find((x) => x.id === id);
  const label = m?.label ?? id;
  const next = list.nextCursor
    ? `#/measures/${encodeURIComponent(id)}/patients?${new URLSearchParams({ ...Object.fromEntries(q), cursor: list.nextCursor })}`
    : '';
  show(
    html`<h1>${label}: the patients behind it</h1>
      <p class="card">${m ? `${valueText(m)} (${fraction(m)}), ` : ''}period ${report.from} to ${report.to}. Opening this list is recorded in the audit log.</p>
      <table aria-label="Patients behind ${label}">
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Index date</th>
            <th scope="col">Counted in the numerator</th>
          </tr>
        </thead>
        <tbody>
          ${
            list.items.length === 0
              ? html`<tr>
                  <td colspan="3" class="muted">No patients in this period.</td>
                </tr>`
              : list.items.map(
                  (i) =>
                    html`<tr>
                      <td><a href="#/patients/${encodeURIComponent(i.patientId)}">patient ${i.patientId}</a></td>
                      <td>${i.indexDate}</td>
                      <td>${i.inNumerator ? 'yes' : 'no'}</td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
      <p>${next ? html`<a href=${next}>Next page</a> · ` : nothing}<a href="#/dashboard">Back to the dashboard</a></p>`,
    `Patients: ${label}`,
  );
}
