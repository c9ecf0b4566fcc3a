// @ts-check
// A patient's page: where they are on the pathway, their symptoms over time (every ESAS-r item and the
// Distress Thermometer, severity bands shaded), consent, caregivers, open tasks, the notifications sent
// with how each was delivered, and a timeline that includes the clinical events themselves.
import { html, nothing } from '/vendor/lit-html/lit-html.js';
import { disposeCharts, symptomChart } from './charts.js';
import { api, at, isCurrentPage, say, show, signedIn, stopRefresh, when, words, table, why } from './common.js';

/** @typedef {import('./types.js').Pathway} Pathway */
/** @typedef {import('./types.js').Symptoms} Symptoms */
/** @typedef {import('./types.js').NotificationList} NotificationList */
/** @typedef {import('./types.js').NotificationView} NotificationView */
/** @typedef {import('./types.js').Vocabulary} Vocabulary */

const CLOSURE_WORDS = /** @type {Record<string, string>} */ ({
  'bereavement-complete': 'bereavement follow-up completed',
  withdrawn: 'the patient withdrew from the pathway',
  declined: 'the patient declined the pathway',
  transferred: 'the patient was transferred to another organisation',
});

/** A timeline entry in words. @param {Pathway['timeline'][number]} e @param {Vocabulary} v */
function timelineWords(e, v) {
  switch (e.kind) {
    case 'event':
      return say(v.events, e.code);
    case 'task':
      return `${say(v.tasks, e.code)}: ${say(v.statuses, e.status)}${e.outcome ? ` — ${say(v.outcomes, e.outcome)}` : ''}`;
    case 'notification':
      return `${say(v.notifications, e.code)} (to ${say(v.recipients, e.recipient)})`;
    default:
      return say(v.facts, e.code);
  }
}

/**
 * Who brought a clinical event, in words: the person or service account (by the roles its token
 * carried) over the API, the patient's own PROM link, or an integration over Kafka; and where the
 * event log read it. Nothing for events stored before provenance was kept.
 * @param {Pathway['timeline'][number]} e
 */
function broughtBy(e) {
  const b = e.broughtBy;
  if (!b) return '';
  const who =
    b.via === 'api'
      ? `posted by ${b.by ?? 'unknown'}${b.roles?.length ? ` (${b.roles.join(', ')})` : ''}`
      : b.via === 'prom-page'
        ? "from the patient's questionnaire link"
        : 'from an integration over Kafka';
  return `${who}${b.topic ? `; ${b.topic} partition ${b.partition ?? '?'} offset ${b.offset ?? '?'}` : ''}`;
}

/** How a notification fared, in words, channel by channel. @param {NotificationView} n @param {Vocabulary} v */
function delivery(n, v) {
  if (n.status === 'dropped') return `Not sent: ${n.droppedWhy?.replace(/^not delivered: /, '') ?? ''}`;
  return n.deliveries
    .map((d) => `${say(v.delivery, d.channel)}: ${say(v.delivery, d.status)}${d.deliveredTo ? ` to ${d.deliveredTo}` : ''}${d.why ? ` (${d.why})` : ''}`)
    .join('; ');
}

/** @param {Symptoms} s @param {Vocabulary} v */
function answersTable(s, v) {
  const items = [...v.instruments['ESAS-r'], ...v.instruments.DT];
  const rows = [...s.responses].reverse();
  return html`<table aria-label="Questionnaire answers, newest first">
    <thead>
      <tr>
        <th scope="col">Answered</th>
        ${items.map((i) => html`<th scope="col">${say(v.items, i)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${
        rows.length === 0
          ? html`<tr>
              <td colspan=${items.length + 1} class="muted">No answers yet.</td>
            </tr>`
          : rows.map(
              (r) =>
                html`<tr>
                  <th scope="row">${at(r.at)}</th>
                  ${items.map((i) => {
                    const score = r.scores[i];
                    const band = score === undefined ? '' : score >= s.bands.severeAtLeast ? 'severe' : score >= s.bands.moderateAtLeast ? 'moderate' : '';
                    return html`<td class=${band}>${score ?? ''}${band ? html`<span class="visually-hidden"> (${band})</span>` : nothing}</td>`;
                  })}
                </tr>`,
            )
      }
    </tbody>
  </table>`;
}

/** @param {string} patientId @param {number} opened */
export async function patient(patientId, opened) {
  stopRefresh();
  const id = encodeURIComponent(patientId);
  const [, v, p, s, n] = await Promise.all([
    signedIn(),
    words(),
    /** @type {Promise<Pathway>} */ (api(`/api/v1/patients/${id}/pathway`)),
    /** @type {Promise<Symptoms>} */ (api(`/api/v1/patients/${id}/symptoms`)),
    /** @type {Promise<NotificationList>} */ (api(`/api/v1/patients/${id}/notifications?limit=100`)),
  ]);
  if (!isCurrentPage(opened)) return;
  disposeCharts();
  const consent = /** @type {const} */ (['proms', 'referral', 'pathway']);
  show(
    html`<h1>Patient ${p.patientId}</h1>
      <div class="card grid">
        <div><strong>Stage</strong><br />${say(v.stages, p.stage)}</div>
        <div><strong>Level of palliative care</strong><br />${say(v.levels, p.level)}</div>
        <div><strong>Specialist referral</strong><br />${say(v.referral, p.referral.status)}</div>
        <div>
          <strong>Advance care planning</strong
          ><br />${say(v.acp, p.acp.status)}${p.acp.preferredPlaceOfDeath ? html`<br /><span class="muted">prefers to die at: ${p.acp.preferredPlaceOfDeath}</span>` : nothing}
        </div>
        <div>
          <strong>Consent</strong><br />
          ${consent.map((c) => html`<span>${{ proms: 'Questionnaires', referral: 'Referral', pathway: 'Pathway' }[c]}: ${say(v.consent, p.consent[c].decision)}</span><br />`)}
        </div>
        <div>
          <strong>Caregivers</strong><br />
          ${
            p.caregivers.length
              ? p.caregivers.map((c) => html`<span>${c.caregiverId} (${c.consentToShare ? 'may be told about care' : 'no consent to share'})</span><br />`)
              : html`<span class="muted">none registered</span>`
          }
        </div>
        <div><strong>Flags</strong><br />${p.flags.length ? p.flags.map((f) => say(v.flags, f)).join(', ') : html`<span class="muted">none</span>`}</div>
      </div>
      ${
        p.closure
          ? html`<p class="card" role="status">
              <strong>Pathway closed</strong>: ${CLOSURE_WORDS[p.closure.reason] ?? p.closure.reason}, ${new Date(p.closure.at).toLocaleDateString()}. Later
              events are kept but open nothing.
            </p>`
          : nothing
      }
      ${
        p.problems.length
          ? html`<div class="card error" role="alert">
              <strong>Work that could not be recorded</strong> (operations have been alerted):
              <ul>
                ${p.problems.map((x) => html`<li>${at(x.at)}: ${x.message}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      <section class="card" aria-labelledby="symptoms-title">
        <h2 id="symptoms-title">Symptoms over time</h2>
        <p class="muted">
          0–10 for each item; shaded: ${s.bands.moderateAtLeast}–${s.bands.severeAtLeast - 1} moderate, ${s.bands.severeAtLeast}–10 severe. The table below has
          the same numbers.
        </p>
        <div class="chart symptoms" id="symptom-chart"></div>
        <div class="scroll">${answersTable(s, v)}</div>
      </section>
      <h2>Open tasks</h2>
      ${table(
        'Open tasks',
        ['Priority', 'Task', 'Queue', 'Due', 'Why'],
        p.openTasks.map(
          (t) =>
            html`<tr class=${when(t.dueAt).overdue ? 'overdue' : ''}>
              <td><span class="badge ${t.priority}">${say(v.priorities, t.priority)}</span></td>
              <td>${say(v.tasks, t.type)}</td>
              <td>${say(v.queues, t.queue)}</td>
              <td>${when(t.dueAt).text}</td>
              <td>${why(v, t.reason)}</td>
            </tr>`,
        ),
        'none',
      )}
      <h2>Notifications sent</h2>
      ${table(
        'Notifications sent',
        ['When', 'What', 'To', 'Delivery'],
        n.items.map(
          (x) =>
            html`<tr>
              <td>${at(x.createdAt)}</td>
              <td>${say(v.notifications, x.kind)}<br /><span class="muted">${x.text}</span></td>
              <td>${say(v.recipients, x.recipient.role)}${x.recipient.id ? ` (${x.recipient.id})` : ''}</td>
              <td class=${x.status === 'parked' ? 'misses' : ''}>${delivery(x, v)}</td>
            </tr>`,
        ),
        'none yet',
      )}
      <h2>Timeline</h2>
      <ol class="card timeline" aria-label="Timeline, newest first">
        ${p.timeline.map(
          (e) =>
            html`<li class=${e.kind}>
              <span class="muted">${at(e.at)}</span> — ${timelineWords(e, v)}
              ${e.broughtBy ? html`<span class="muted provenance">(${broughtBy(e)})</span>` : nothing}
              ${
                e.rule
                  ? html`<details class="inline">
                      <summary>rule</summary>
                      <span class="rule">${e.rule}: ${say(v.rules, e.rule)}</span>
                    </details>`
                  : nothing
              }
            </li>`,
        )}
      </ol>
      <p><a href="#/inbox">Back to the inbox</a></p>`,
    `Patient ${patientId}`,
  );
  symptomChart(/** @type {HTMLElement} */ (document.getElementById('symptom-chart')), s, v);
}
