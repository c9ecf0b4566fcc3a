// @ts-check
// Shared by the console's pages: the API client, the vocabulary (words for codes), page switching and
// the refresh timer. Pages render with lit-html, which escapes every value it puts in the page.
import { html, render } from '/vendor/lit-html/lit-html.js';

/** @typedef {import('./types.js').Vocabulary} Vocabulary */
/** @typedef {import('./types.js').Me} Me */
/** @typedef {import('./types.js').TemplateResult} TemplateResult */

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
export const main = byId('main');
export const who = byId('who');
export const announcer = byId('announcer');
/** @type {ReturnType<typeof setInterval> | undefined} */
let refreshTimer;

export const token = () => sessionStorage.getItem('tandem.token');

/**
 * Calls the API with the session's token. A 401 sends the person to sign in; any other failure is an
 * Error carrying the API's own message and the status.
 * @template [T=unknown]
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<T>}
 */
export async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}`, ...(init.headers ?? {}) } });
  const body = /** @type {{ message?: string }} */ (await readJson(res).catch(() => ({})));
  if (res.status === 401) {
    sessionStorage.removeItem('tandem.token');
    location.hash = '#/sign-in';
  }
  if (!res.ok) throw Object.assign(new Error(body.message ?? `HTTP ${res.status}`), { status: res.status });
  return /** @type {T} */ (body);
}

/** A response's JSON, as `unknown` until the caller says what it is. @param {Response} res @returns {Promise<unknown>} */
export const readJson = (res) => res.json();

/** @type {Vocabulary | undefined} */
let vocabulary;
/** The words for every code, fetched once per sign-in. */
export async function words() {
  vocabulary ??= await api('/api/v1/vocabulary');
  return /** @type {Vocabulary} */ (vocabulary);
}
export const forgetWords = () => (vocabulary = undefined);

/**
 * A code's word from one of the vocabulary's maps, or the code itself when it has none.
 * @param {Record<string, string>} map @param {string | undefined} code
 */
export const say = (map, code) => (code === undefined ? '' : (map[code] ?? code));

let page = 0;
/** A new page is being opened (each route change): a slower page still loading must not replace it. */
export const beginPage = () => ++page;
/** @param {number} p */
export const isCurrentPage = (p) => p === page;

/** @param {TemplateResult} template @param {string} title */
export function show(template, title) {
  render(template, main);
  document.title = `${title} — Tandem`;
  main.focus();
}

/** The same page drawn again (a refresh): no change of title or focus, so the person's place is kept. @param {TemplateResult} template */
export const redrawPage = (template) => render(template, main);

/** One page's periodic refresh at a time: a new page stops the last one's. @param {() => void} fn @param {number} ms */
export function setRefresh(fn, ms) {
  clearInterval(refreshTimer);
  refreshTimer = setInterval(fn, ms);
}
export const stopRefresh = () => clearInterval(refreshTimer);

/** The signed-in person, shown in the header. @returns {Promise<Me>} */
export async function signedIn() {
  const me = /** @type {Me} */ (await api('/api/v1/me'));
  who.textContent = `${me.sub} (${me.roles.join(', ')})`;
  return me;
}

/** @param {string} iso */
export function when(iso) {
  const due = new Date(iso);
  const minutes = Math.round((due.getTime() - Date.now()) / 60000);
  const rel =
    Math.abs(minutes) < 90
      ? `${Math.abs(minutes)} min`
      : Math.abs(minutes) < 2880
        ? `${Math.round(Math.abs(minutes) / 60)} h`
        : `${Math.round(Math.abs(minutes) / 1440)} d`;
  return { overdue: minutes < 0, text: minutes < 0 ? `overdue by ${rel}` : `in ${rel}`, exact: due.toLocaleString() };
}

/** A date and time as a clinician reads it ("30 Nov 2026, 09:15"). @param {string} iso */
export const at = (iso) => new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * A table with its column headers, and one row saying so when it has none.
 * @param {string} label @param {string[]} headers @param {unknown[]} rows @param {string} empty
 */
export const table = (label, headers, rows, empty) =>
  html`<table aria-label=${label}>
    <thead>
      <tr>
        ${headers.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${
        rows.length
          ? rows
          : html`<tr>
              <td colspan=${headers.length} class="muted">${empty}</td>
            </tr>`
      }
    </tbody>
  </table>`;

/** Why a task or notification exists, in words, with its rule id and evidence one click away. @param {Vocabulary} v @param {{ rule: string; evidence: unknown }} reason */
export const why = (v, reason) =>
  html`${say(v.rules, reason.rule)}
    <details>
      <summary>Rule and evidence</summary>
      <p class="rule">${reason.rule}</p>
      <pre>${JSON.stringify(reason.evidence, null, 2)}</pre>
    </details>`;
