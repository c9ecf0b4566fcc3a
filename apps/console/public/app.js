// @ts-check
// Tandem console: a small single-page app over the HTTP API (lit-html for the pages, Apache ECharts
// for the charts, both from their npm packages on this origin).
import { html } from '/vendor/lit-html/lit-html.js';
import { api, beginPage, forgetWords, isCurrentPage, readJson, show, stopRefresh, token, who } from './common.js';
import { dashboard } from './dashboard.js';
import { drillDown } from './drill-down.js';
import { inbox } from './inbox.js';
import { patient } from './patient.js';
import { reminders } from './reminders.js';

/** @typedef {import('./types.js').Task} Task */

function signIn() {
  stopRefresh();
  who.textContent = '';
  let failure = '';
  const draw = () =>
    show(
      html`<h1>Sign in</h1>
        <div class="card">
          <form @submit=${devSignIn}>
            <label for="role">Development: sign in as a role</label>
            <select id="role" name="role">
              <option value="coordinator">Care coordinator</option>
              <option value="clinician">Clinician (oncology)</option>
              <option value="specialist">Specialist palliative care</option>
              <option value="ops">Service lead (operations: measures only)</option>
              <option value="admin">Administrator</option>
            </select>
            <label for="sub">Your user id</label>
            <input id="sub" name="sub" value="coordinator-1" autocomplete="username" />
            <p><button type="submit">Sign in</button></p>
          </form>
        </div>
        <div class="card">
          <form @submit=${pasteToken}>
            <label for="token">Or paste a token (<code>npm run -s token -- coordinator</code>)</label>
            <textarea id="token" name="token" rows="3" cols="60"></textarea>
            <p><button type="submit" class="secondary">Use this token</button></p>
          </form>
          <p id="sign-in-error" class="error" role="alert">${failure}</p>
        </div>`,
      'Sign in',
    );
  /** @param {SubmitEvent} e */
  async function devSignIn(e) {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value;
    const res = await fetch('/api/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: field('role'), sub: field('sub') }),
    });
    const body = /** @type {{ token?: string; message?: string }} */ (await readJson(res));
    if (!res.ok || !body.token) {
      failure = body.message ?? `HTTP ${res.status}`;
      return draw();
    }
    begin(body.token);
  }
  /** @param {SubmitEvent} e */
  function pasteToken(e) {
    e.preventDefault();
    begin(/** @type {HTMLTextAreaElement} */ (/** @type {HTMLFormElement} */ (e.target).elements.namedItem('token')).value.trim());
  }
  draw();
}

/** @param {string} t */
function begin(t) {
  sessionStorage.setItem('tandem.token', t);
  forgetWords();
  location.hash = '#/inbox';
}

/** A link to a task (the notifier's e-mails) opens the patient it is about. @param {string} id */
async function taskLink(id) {
  const t = /** @type {Task} */ (await api(`/api/v1/tasks/${encodeURIComponent(id)}`));
  location.replace(`#/patients/${encodeURIComponent(t.patientId)}`);
}

/**
 * A page that could not load says why — unless the person has moved on to another page since, or
 * the token expired (the API client has already sent them to sign in).
 * @param {number} opened
 */
const failedOn = (opened) => (/** @type {Error & { status?: number }} */ e) => {
  if (isCurrentPage(opened) && e.status !== 401)
    show(
      html`<h1>Something went wrong</h1>
        <p class="error" role="alert">${e.message}</p>
        <p><a href="#/inbox">Back to the inbox</a></p>`,
      'Error',
    );
};

function route() {
  const opened = beginPage();
  const hash = location.hash || '#/inbox';
  if (!token() || hash === '#/sign-in') return void signIn();
  const fail = failedOn(opened);
  const m = /^#\/patients\/(.+)$/.exec(hash);
  if (m) return void patient(decodeURIComponent(m[1] ?? ''), opened).catch(fail);
  const t = /^#\/tasks\/([^/]+)$/.exec(hash);
  if (t) return void taskLink(decodeURIComponent(t[1] ?? '')).catch(fail);
  const drill = /^#\/measures\/([^/?]+)\/patients\??(.*)$/.exec(hash);
  if (drill) return void drillDown(decodeURIComponent(drill[1] ?? ''), drill[2] ?? '', opened).catch(fail);
  if (hash === '#/dashboard') return void dashboard(opened).catch(fail);
  if (hash === '#/reminders') return void reminders(opened).catch(fail);
  void inbox(hash === '#/mine').catch(fail);
}

// The header's patient search and sign-out, present on every page.
/** @type {HTMLFormElement} */ (document.getElementById('search')).addEventListener('submit', (e) => {
  e.preventDefault();
  const id = /** @type {HTMLInputElement} */ (document.getElementById('patient-search')).value.trim();
  if (id) location.hash = `#/patients/${encodeURIComponent(id)}`;
});
/** @type {HTMLButtonElement} */ (document.getElementById('sign-out')).addEventListener('click', () => {
  // The server revokes the session (the token is refused from now on); keepalive lets it finish as the page changes.
  const signedIn = token();
  if (signedIn) void fetch('/api/v1/sign-out', { method: 'POST', keepalive: true, headers: { authorization: `Bearer ${signedIn}` } }).catch(() => undefined);
  sessionStorage.clear();
  forgetWords();
  location.hash = '#/sign-in';
});

window.addEventListener('hashchange', route);
route();
