// @ts-check
// Reminders for clinicians: the clinician-reminder and escalation notifications addressed to their
// queues, to teams of those names, or to them as a patient's key worker, newest first.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { api, at, isCurrentPage, redrawPage, say, setRefresh, show, signedIn, table, why, words } from './common.js';

/** @typedef {import('./types.js').NotificationList} NotificationList */
/** @typedef {import('./types.js').Vocabulary} Vocabulary */

/** @param {NotificationList} list @param {Vocabulary} v */
const page = (list, v) =>
  html`<h1>Reminders</h1>
    <p class="card muted">Reminders and escalations for your queues and teams, and for patients whose key worker you are. Refreshes every 10 s.</p>
    ${table(
      'Reminders and escalations',
      ['When', 'What', 'Patient', 'For', 'Why'],
      list.items.map(
        (n) =>
          html`<tr class=${n.kind === 'escalation' ? 'overdue' : ''}>
            <td>${at(n.createdAt)}</td>
            <td>
              <strong>${say(v.notifications, n.kind)}</strong>:
              ${n.text}${n.taskId ? html`<br /><a href="#/tasks/${n.taskId}">Open the task's patient</a>` : nothing}
            </td>
            <td><a href="#/patients/${encodeURIComponent(n.patientId)}">patient ${n.patientId}</a></td>
            <td>${say(v.recipients, n.recipient.role)}${n.recipient.id ? `: ${say(v.queues, n.recipient.id)}` : ''}</td>
            <td>${why(v, n.reason)}</td>
          </tr>`,
      ),
      'No reminders.',
    )}`;

/** @param {number} opened */
export async function reminders(opened) {
  const [, v] = await Promise.all([signedIn(), words()]);
  const load = () => /** @type {Promise<NotificationList>} */ (api('/api/v1/reminders?limit=100'));
  const list = await load();
  if (!isCurrentPage(opened)) return;
  show(page(list, v), 'Reminders');
  setRefresh(
    () =>
      void load()
        .then((l) => isCurrentPage(opened) && redrawPage(page(l, v)))
        .catch(() => undefined),
    10_000,
  );
}
