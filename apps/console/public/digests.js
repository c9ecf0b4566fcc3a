// @ts-check
// The latest weekly digest per team (docs/contract.md section 7), with the change from the week before.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, say } from './common.js';
import { valueText, verdict } from './measure-format.js';

/** @typedef {import('@tandem/db').DigestSummary} DigestSummary */
/** @typedef {import('@tandem/db').Digest} Digest */

/** @type {{ list: DigestSummary[]; detail?: Digest }} */
const digests = { list: [] };

/** @param {{ change?: number | null }} m */
const change = (m) => (m.change === null || m.change === undefined ? '—' : `${m.change > 0 ? '+' : ''}${m.change}`);

/** @param {string} team */
export async function loadDigests(team) {
  const r = /** @type {{ items: DigestSummary[] }} */ (await api(`/api/v1/digests${team ? `?team=${encodeURIComponent(team)}` : ''}`));
  digests.list = r.items;
  digests.detail = undefined;
}

/** @param {Record<string, string>} teamWords @param {() => void} redraw */
export function digestsSection(teamWords, redraw) {
  // The newest week of each team (the list is newest first).
  const latest = [...new Map([...digests.list].reverse().map((d) => [d.team, d])).values()];
  const open = async (/** @type {string} */ id) => {
    digests.detail = /** @type {Digest} */ (await api(`/api/v1/digests/${encodeURIComponent(id)}`));
    redraw();
  };
  const d = digests.detail;
  return html`<h2 id="digests-title">Weekly digests</h2>
    ${latest.length === 0 ? html`<p class="muted">No digest yet: one is made every Monday morning (or now, with <code>npm run -s digest -- --now</code>).</p>` : nothing}
    <div class="actions">
      ${latest.map((x) => html`<button class="secondary" @click=${() => void open(x.id)}>${say(teamWords, x.team)}: week of ${x.weekStart}</button>`)}
    </div>
    ${
      d
        ? html`<table aria-label="Digest: ${say(teamWords, d.team)}, week ${d.weekStart} to ${d.weekEnd}">
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">This week</th>
                <th scope="col">Week before</th>
                <th scope="col">Change</th>
                <th scope="col">Against target</th>
              </tr>
            </thead>
            <tbody>
              ${d.measures.map(
                (m) =>
                  html`<tr>
                    <th scope="row">${m.label}</th>
                    <td>${valueText(m)}</td>
                    <td>${valueText(m, m.previous)}</td>
                    <td>${change(m)}</td>
                    <td class=${verdict(m).cls}>${verdict(m).text}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : nothing
    }`;
}
