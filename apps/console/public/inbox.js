// @ts-check
// The work queues: a queue's tasks (with counts per queue and filters) or "my tasks" (claimed by me),
// most urgent and earliest due first, claimed and completed in place. Tasks read in words; the rule id
// and the evidence stay one click away.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { repeat } from '/vendor/lit-html/directives/repeat.js';
import { announcer, api, beginPage, isCurrentPage, redrawPage, say, setRefresh, show, signedIn, when, words, why } from './common.js';

/** @typedef {import('./types.js').Task} Task */
/** @typedef {import('./types.js').TaskPage} TaskPage */
/** @typedef {import('./types.js').QueueCounts} QueueCounts */
/** @typedef {import('./types.js').Me} Me */
/** @typedef {import('./types.js').Vocabulary} Vocabulary */
/** @typedef {{ priority: string; type: string; overdue: boolean }} Filters */

const REFRESH_MS = 5000;
/** @param {string} text @returns {unknown} */
const parseJson = (text) => JSON.parse(text);
/** @type {Set<string>} */
let knownTaskIds = new Set();

/** @returns {Filters} */
function savedFilters() {
  try {
    const saved = /** @type {Partial<Filters>} */ (parseJson(sessionStorage.getItem('tandem.filters') ?? '{}'));
    return { priority: '', type: '', overdue: false, ...saved };
  } catch {
    return { priority: '', type: '', overdue: false };
  }
}

/** @param {Task} t @param {Me} me @param {Vocabulary} v */
function row(t, me, v) {
  const due = when(t.dueAt);
  const mine = t.claimedBy === me.sub;
  const label = say(v.tasks, t.type);
  return html`<tr class=${due.overdue ? 'overdue' : ''} data-task=${t.id}>
    <td><span class="badge ${t.priority}">${say(v.priorities, t.priority)}</span></td>
    <td>
      <strong>${t.summary}</strong><br />
      <a href="#/patients/${encodeURIComponent(t.patientId)}">patient ${t.patientId}</a>
      <span class="muted">· ${say(v.queues, t.queue)}</span>
    </td>
    <td><span class=${due.overdue ? 'overdue-flag' : ''}>${due.text}</span><br /><span class="muted">${due.exact}</span></td>
    <td>${why(v, t.reason)}</td>
    <td>
      ${t.status === 'claimed' ? `claimed by ${t.claimedBy}` : 'open'}${t.escalationLevel ? html`<br /><span class="overdue-flag">escalated</span>` : nothing}
    </td>
    <td>
      <div class="actions">
        ${t.status === 'open' ? html`<button @click=${() => act(() => api(`/api/v1/tasks/${t.id}/claim`, { method: 'POST' }))} aria-label="Claim ${label} for patient ${t.patientId}">Claim</button>` : nothing}
        ${
          mine
            ? html`<label class="visually-hidden" for="outcome-${t.id}">Outcome</label>
                <select id="outcome-${t.id}">
                  ${t.allowedOutcomes.map((o) => html`<option value=${o}>${say(v.outcomes, o)}</option>`)}
                </select>
                <button @click=${() => complete(t)} aria-label="Complete ${label} for patient ${t.patientId}">Complete</button>`
            : nothing
        }
      </div>
    </td>
  </tr>`;
}

/** @type {() => Promise<void>} */
let redraw = () => Promise.resolve();
/** @type {string} */
let failure = '';

/** @param {() => Promise<unknown>} call */
async function act(call) {
  try {
    await call();
    failure = '';
  } catch (err) {
    failure = /** @type {Error} */ (err).message;
  }
  await redraw();
}

/** @param {Task} t */
async function complete(t) {
  const outcome = /** @type {HTMLSelectElement} */ (document.getElementById(`outcome-${t.id}`)).value;
  await act(async () => {
    await api(`/api/v1/tasks/${t.id}/complete`, { method: 'POST', body: JSON.stringify({ outcome }) });
    announcer.textContent = 'Task completed';
  });
}

/**
 * A queue (`mine` false) or the caller's claimed tasks (`mine` true). The page is drawn again on every
 * refresh with the same template, so lit-html changes only what changed: a row whose task did not
 * change is left as it is — the outcome someone chose, an open "Rule and evidence", the focus.
 * @param {boolean} mine
 */
export async function inbox(mine) {
  const opened = beginPage();
  const [me, v] = await Promise.all([signedIn(), words()]);
  if (!isCurrentPage(opened)) return;
  // A service lead works from no queue: their page is the dashboard.
  if (me.queues.length === 0) return void (location.hash = '#/dashboard');
  const saved = sessionStorage.getItem('tandem.queue');
  const queue = saved && me.queues.includes(saved) ? saved : (me.queues[0] ?? '');
  const title = mine ? 'My tasks' : 'Inbox';

  // Each draw asks the API anew; only the latest asked is shown, so a refresh that was already on its
  // way when a filter changed can never put back the rows the filter removed. The filters are read
  // from the session at every ask: a choice made on the page being replaced (a queue just changed)
  // is the choice the new page asks with.
  let asked = 0;
  const draw = async (/** @type {boolean} */ announce) => {
    const ask = ++asked;
    const filters = savedFilters();
    const q = new URLSearchParams({ limit: '100' });
    if (mine) q.set('claimedBy', me.sub);
    else q.set('queue', queue);
    if (filters.priority) q.set('priority', filters.priority);
    if (filters.type) q.set('type', filters.type);
    if (filters.overdue) q.set('overdue', 'true');
    const [tasks, counts] = await Promise.all([
      /** @type {Promise<TaskPage>} */ (api(`/api/v1/tasks?${q}`)),
      /** @type {Promise<QueueCounts>} */ (api('/api/v1/queues')),
    ]);
    if (!isCurrentPage(opened) || ask !== asked) return;
    const fresh = tasks.items.filter((t) => !knownTaskIds.has(t.id));
    if (announce && fresh.length) announcer.textContent = `${fresh.length} new task${fresh.length > 1 ? 's' : ''}`;
    knownTaskIds = new Set(tasks.items.map((t) => t.id));
    if (first) show(page(tasks.items, counts, filters), mine ? title : `${title}: ${say(v.queues, queue)}`);
    else redrawPage(page(tasks.items, counts, filters));
    first = false;
  };
  let first = true;

  // `redraw` is the current page's draw, so a filter changed on a page that is being replaced
  // redraws the page that replaces it.
  const set = (/** @type {Partial<Filters>} */ f) => {
    sessionStorage.setItem('tandem.filters', JSON.stringify({ ...savedFilters(), ...f }));
    void redraw();
  };

  /** @param {Task[]} tasks @param {QueueCounts} counts @param {Filters} filters */
  const page = (tasks, counts, filters) =>
    html`<h1>${title}</h1>
      <div class="card actions">
        ${
          mine
            ? html`<span>Tasks claimed by you (${me.sub}), in every queue.</span>`
            : html`<label for="queue">Queue</label>
                <select
                  id="queue"
                  @change=${(/** @type {Event} */ e) => {
                    sessionStorage.setItem('tandem.queue', /** @type {HTMLSelectElement} */ (e.target).value);
                    void inbox(false);
                  }}
                >
                  ${counts.items.map(
                    (c) =>
                      html`<option value=${c.queue} ?selected=${c.queue === queue}>
                        ${say(v.queues, c.queue)} — ${c.open + c.claimed}
                        open${c.overdue ? `, ${c.overdue} overdue` : ''}${c.urgent ? `, ${c.urgent} urgent` : ''}
                      </option>`,
                  )}
                </select>`
        }
        <label for="priority">Priority</label>
        <select id="priority" @change=${(/** @type {Event} */ e) => set({ priority: /** @type {HTMLSelectElement} */ (e.target).value })}>
          <option value="" ?selected=${!filters.priority}>Any</option>
          ${Object.entries(v.priorities).map(([k, l]) => html`<option value=${k} ?selected=${filters.priority === k}>${l}</option>`)}
        </select>
        <label for="type">Task</label>
        <select id="type" @change=${(/** @type {Event} */ e) => set({ type: /** @type {HTMLSelectElement} */ (e.target).value })}>
          <option value="" ?selected=${!filters.type}>Any</option>
          ${Object.entries(v.tasks).map(([k, l]) => html`<option value=${k} ?selected=${filters.type === k}>${l}</option>`)}
        </select>
        <label
          ><input
            type="checkbox"
            id="overdue"
            .checked=${filters.overdue}
            @change=${(/** @type {Event} */ e) => set({ overdue: /** @type {HTMLInputElement} */ (e.target).checked })}
          />
          Overdue only</label
        >
        <span class="muted">Most urgent first, then earliest due. Refreshes every ${REFRESH_MS / 1000} s.</span>
      </div>
      <p id="inbox-error" class="error" role="alert">${failure}</p>
      <table aria-label=${mine ? 'My tasks' : `Tasks in ${say(v.queues, queue)}`}>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">Task</th>
            <th scope="col">Due</th>
            <th scope="col">Why</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody id="tasks">
          ${
            tasks.length === 0
              ? html`<tr>
                  <td colspan="6" class="muted">${mine ? 'You have no claimed tasks.' : 'No open tasks here.'}</td>
                </tr>`
              : repeat(
                  tasks,
                  (t) => t.id,
                  (t) => row(t, me, v),
                )
          }
        </tbody>
      </table>`;

  redraw = () => draw(false);
  await draw(false);
  setRefresh(() => void draw(true).catch(() => undefined), REFRESH_MS);
}
