// Tandem console: a small single-page app over the HTTP API (charts: Apache ECharts from its npm package).
import { announcer, api, beginPage, esc, isCurrentPage, setRefresh, show, stopRefresh, token, when, who } from './common.js';
import { dashboard, drillDown } from './dashboard.js';

const CLOSURE_WORDS = {
  'bereavement-complete': 'bereavement follow-up completed',
  withdrawn: 'the patient withdrew from the pathway',
  declined: 'the patient declined the pathway',
  transferred: 'the patient was transferred to another organisation',
};
let knownTaskIds = new Set();
const REFRESH_MS = 5000;

async function signIn() {
  stopRefresh();
  who.textContent = '';
  show(
    `<h1>Sign in</h1>
     <div class="card">
       <form id="dev-form">
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
       <form id="token-form">
         <label for="token">Or paste a token (<code>npm run -s token -- coordinator</code>)</label>
         <textarea id="token" rows="3" cols="60"></textarea>
         <p><button type="submit" class="secondary">Use this token</button></p>
       </form>
       <p id="sign-in-error" class="error" role="alert"></p>
     </div>`,
    'Sign in',
  );
  document.getElementById('dev-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const res = await fetch('/api/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: e.target.role.value, sub: e.target.sub.value }),
    });
    const body = await res.json();
    if (!res.ok) return void (document.getElementById('sign-in-error').textContent = body.message);
    sessionStorage.setItem('tandem.token', body.token);
    location.hash = '#/inbox';
  });
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('tandem.token', e.target.token.value.trim());
    location.hash = '#/inbox';
  });
}

function taskRow(t, me) {
  const due = when(t.dueAt);
  const mine = t.claimedBy === me.sub;
  const outcomes = (t.allowedOutcomes ?? ['done']).map((o) => `<option value="${esc(o)}">${esc(o)}</option>`).join('');
  return `<tr class="${due.overdue ? 'overdue' : ''}" data-task="${esc(t.id)}">
    <td><span class="badge ${esc(t.priority)}">${esc(t.priority)}</span></td>
    <td><strong>${esc(t.type)}</strong><br /><a href="#/patients/${encodeURIComponent(t.patientId)}">patient ${esc(t.patientId)}</a></td>
    <td><span data-due class="${due.overdue ? 'overdue-flag' : ''}">${esc(due.text)}</span><br /><span class="muted">${esc(due.exact)}</span></td>
    <td><span class="rule">${esc(t.reason.rule)}</span>
      <details><summary>Evidence</summary><pre>${esc(JSON.stringify(t.reason.evidence, null, 2))}</pre></details></td>
    <td>${t.status === 'claimed' ? `claimed by ${esc(t.claimedBy)}` : 'open'}${t.escalationLevel ? `<br /><span class="overdue-flag">escalated</span>` : ''}</td>
    <td><div class="actions">
      ${t.status === 'open' ? `<button data-claim="${esc(t.id)}" aria-label="Claim ${esc(t.type)} for patient ${esc(t.patientId)}">Claim</button>` : ''}
      ${
        mine
          ? `<label class="visually-hidden" for="outcome-${esc(t.id)}">Outcome</label>
        <select id="outcome-${esc(t.id)}">${outcomes}</select>
        <button data-complete="${esc(t.id)}" aria-label="Complete ${esc(t.type)} for patient ${esc(t.patientId)}">Complete</button>`
          : ''
      }
    </div></td>
  </tr>`;
}

/**
 * Brings the inbox table up to date in place: a row whose task did not change is left exactly as it
 * is (so the refresh never resets an outcome someone has chosen, a note they are typing, an open
 * "Evidence" or the keyboard focus); only its due time is re-worded. A changed row is rebuilt with
 * the choices made in it carried over; rows of tasks gone from the queue are removed.
 */
function updateRows(body, tasks, me) {
  if (tasks.length === 0) {
    body.innerHTML = `<tr><td colspan="6" class="muted">No open tasks in this queue.</td></tr>`;
    return;
  }
  const existing = new Map([...body.querySelectorAll('tr[data-task]')].map((r) => [r.dataset.task, r]));
  for (const r of body.querySelectorAll('tr:not([data-task])')) r.remove();
  const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.id : undefined;
  let previous = null;
  for (const t of tasks) {
    const signature = JSON.stringify([t, me.sub]);
    let row = existing.get(t.id);
    existing.delete(t.id);
    if (row && row.dataset.signature === signature) {
      const due = when(t.dueAt);
      const dueText = row.querySelector('[data-due]');
      dueText.textContent = due.text;
      dueText.classList.toggle('overdue-flag', due.overdue);
      row.classList.toggle('overdue', due.overdue);
    } else {
      const template = document.createElement('tbody');
      template.innerHTML = taskRow(t, me);
      const fresh = template.firstElementChild;
      fresh.dataset.signature = signature;
      if (row) {
        carryChoices(row, fresh);
        row.replaceWith(fresh);
      }
      row = fresh;
    }
    if (previous ? previous.nextElementSibling !== row : body.firstElementChild !== row) {
      if (previous) previous.after(row);
      else body.prepend(row);
    }
    previous = row;
  }
  for (const gone of existing.values()) gone.remove();
  if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus();
}

/** What a person chose in a row (outcome, open evidence) survives the row being rebuilt. */
function carryChoices(from, to) {
  for (const select of from.querySelectorAll('select[id]')) {
    const target = to.querySelector(`#${CSS.escape(select.id)}`);
    if (target && [...target.options].some((o) => o.value === select.value)) target.value = select.value;
  }
  if (from.querySelector('details[open]')) to.querySelector('details')?.setAttribute('open', '');
}

async function inbox() {
  const opened = beginPage();
  let me;
  try {
    me = await api('/api/v1/me');
  } catch {
    return;
  }
  if (!isCurrentPage(opened)) return;
  who.textContent = `${me.sub} (${me.roles.join(', ')})`;
  // A service lead works from no queue: their page is the dashboard.
  if (me.queues.length === 0) return void (location.hash = '#/dashboard');
  const queue =
    sessionStorage.getItem('tandem.queue') && me.queues.includes(sessionStorage.getItem('tandem.queue'))
      ? sessionStorage.getItem('tandem.queue')
      : me.queues[0];
  const render = async (announce) => {
    const page = await api(`/api/v1/tasks?queue=${encodeURIComponent(queue)}&limit=100`);
    const fresh = page.items.filter((t) => !knownTaskIds.has(t.id));
    if (announce && fresh.length) announcer.textContent = `${fresh.length} new task${fresh.length > 1 ? 's' : ''} in ${queue}`;
    knownTaskIds = new Set(page.items.map((t) => t.id));
    const body = document.getElementById('tasks');
    if (body) updateRows(body, page.items, me);
  };
  show(
    `<h1>Inbox</h1>
     <div class="card actions">
       <label for="queue">Queue</label>
       <select id="queue">${me.queues.map((q) => `<option ${q === queue ? 'selected' : ''}>${esc(q)}</option>`).join('')}</select>
       <span class="muted">Most urgent first, then earliest due. Refreshes every ${REFRESH_MS / 1000} s.</span>
       <button class="secondary" id="sign-out">Sign out</button>
     </div>
     <p id="inbox-error" class="error" role="alert"></p>
     <table aria-label="Tasks in ${esc(queue)}">
       <thead><tr><th scope="col">Priority</th><th scope="col">Task</th><th scope="col">Due</th><th scope="col">Why</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
       <tbody id="tasks"></tbody>
     </table>`,
    `Inbox: ${queue}`,
  );
  document.getElementById('queue').addEventListener('change', (e) => {
    sessionStorage.setItem('tandem.queue', e.target.value);
    void inbox();
  });
  document.getElementById('sign-out').addEventListener('click', () => {
    sessionStorage.clear();
    location.hash = '#/sign-in';
  });
  document.getElementById('tasks').addEventListener('click', async (e) => {
    const claim = e.target.closest('[data-claim]');
    const complete = e.target.closest('[data-complete]');
    try {
      if (claim) await api(`/api/v1/tasks/${claim.dataset.claim}/claim`, { method: 'POST' });
      if (complete) {
        const outcome = document.getElementById(`outcome-${complete.dataset.complete}`).value;
        await api(`/api/v1/tasks/${complete.dataset.complete}/complete`, { method: 'POST', body: JSON.stringify({ outcome }) });
        announcer.textContent = 'Task completed';
      }
      document.getElementById('inbox-error').textContent = '';
      await render(false);
    } catch (err) {
      document.getElementById('inbox-error').textContent = err.message;
    }
  });
  await render(false);
  setRefresh(() => void render(true).catch(() => undefined), REFRESH_MS);
}

async function patient(patientId) {
  stopRefresh();
  const opened = beginPage();
  try {
    const p = await api(`/api/v1/patients/${encodeURIComponent(patientId)}/pathway`);
    if (!isCurrentPage(opened)) return;
    show(
      `<h1>Patient ${esc(p.patientId)}</h1>
       <div class="card grid">
         <div><strong>Stage</strong><br />${esc(p.stage)}</div>
         <div><strong>Level</strong><br />${esc(p.level)}</div>
         <div><strong>Flags</strong><br />${p.flags.length ? p.flags.map(esc).join(', ') : '<span class="muted">none</span>'}</div>
       </div>
       ${p.closure ? `<p class="card" role="status"><strong>Pathway closed</strong>: ${esc(CLOSURE_WORDS[p.closure.reason] ?? p.closure.reason)}, ${esc(new Date(p.closure.at).toLocaleDateString())}. Later events are kept but open nothing.</p>` : ''}
       ${
         (p.problems ?? []).length
           ? `<div class="card error" role="alert"><strong>Work that could not be recorded</strong> (operations have been alerted):<ul>${p.problems.map((x) => `<li>${esc(new Date(x.at).toLocaleString())}: ${esc(x.message)}</li>`).join('')}</ul></div>`
           : ''
       }
       <h2>Open tasks</h2>
       <table aria-label="Open tasks"><thead><tr><th scope="col">Priority</th><th scope="col">Task</th><th scope="col">Queue</th><th scope="col">Due</th><th scope="col">Why</th></tr></thead><tbody>
       ${p.openTasks.map((t) => `<tr class="${when(t.dueAt).overdue ? 'overdue' : ''}"><td><span class="badge ${esc(t.priority)}">${esc(t.priority)}</span></td><td>${esc(t.type)}</td><td>${esc(t.queue)}</td><td>${esc(when(t.dueAt).text)}</td><td class="rule">${esc(t.reason.rule)}</td></tr>`).join('') || '<tr><td colspan="5" class="muted">none</td></tr>'}
       </tbody></table>
       <h2>Timeline</h2>
       <ol class="card timeline">${p.timeline.map((e) => `<li><span class="muted">${esc(new Date(e.at).toLocaleString())}</span> — ${esc(e.kind)}: ${esc(e.what)} ${e.rule ? `<span class="rule">(${esc(e.rule)})</span>` : ''}</li>`).join('')}</ol>
       <p><a href="#/inbox">Back to the inbox</a></p>`,
      `Patient ${patientId}`,
    );
  } catch (err) {
    show(`<h1>Patient ${esc(patientId)}</h1><p class="error" role="alert">${esc(err.message)}</p><p><a href="#/inbox">Back to the inbox</a></p>`, 'Patient');
  }
}

/**
 * A page that could not load says why — unless the person has moved on to another page since, or
 * the token expired (the API client has already sent them to sign in).
 */
const failedOn = (opened) => (e) => {
  if (isCurrentPage(opened) && e.status !== 401) show(`<h1>Something went wrong</h1><p class="error" role="alert">${esc(e.message)}</p>`, 'Error');
};

function route() {
  const opened = beginPage();
  const hash = location.hash || '#/inbox';
  if (!token() || hash === '#/sign-in') return void signIn();
  const m = /^#\/patients\/(.+)$/.exec(hash);
  if (m) return void patient(decodeURIComponent(m[1]));
  const drill = /^#\/measures\/([^/?]+)\/patients\??(.*)$/.exec(hash);
  if (drill) return void drillDown(decodeURIComponent(drill[1]), drill[2], opened).catch(failedOn(opened));
  if (hash === '#/dashboard') return void dashboard(opened).catch(failedOn(opened));
  void inbox();
}

window.addEventListener('hashchange', route);
route();
