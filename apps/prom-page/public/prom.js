// @ts-check
// The patient's PROM page (docs/patient-page.md): reads its sealed token from the address, asks the API
// what the link may do, and renders the questionnaire in the patient's language with lit-html (which
// escapes every value it renders). Works with a keyboard and a screen reader; no personal data shown.
import { html, nothing, render } from '/vendor/lit-html/lit-html.js';

/** @typedef {import('@tandem/prom-page').Catalogue} Catalogue */
/** @typedef {import('../../api/src/prom-page/prom-page.service').OpenedLink} OpenedLink */
/** @typedef {import('../../api/src/prom-page/prom-page.service').Submitted} Submitted */
/** @typedef {import('../../api/src/prom-page/prom-page.service').PageContext} PageContext */
/** @typedef {OpenedLink | Submitted | (PageContext & { state: 'rate-limited' | 'unavailable' })} LinkView */
/** @typedef {'ESAS-r' | 'DT'} Instrument */
/** @typedef {Record<string, Record<string, number | undefined>>} Answers */

const page = /** @type {HTMLElement} */ (document.getElementById('page'));
const token = decodeURIComponent(location.pathname.replace(/^\/p\//, ''));
/** @type {Answers} */
const answers = {};
/** @type {Map<string, Catalogue>} */
const catalogues = new Map();

/** @type {{ link: LinkView | undefined; words: Catalogue | undefined; error: string; sending: boolean }} */
const view = { link: undefined, words: undefined, error: '', sending: false };

/** @param {string} template @param {Record<string, string | number>} values */
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (/** @type {string} */ m, /** @type {string} */ k) => (k in values ? String(values[k]) : m));

/** A response's JSON, as `unknown` until the caller says what it is. @param {Response} res @returns {Promise<unknown>} */
const readJson = (res) => res.json();

/** @param {string} lang @returns {Promise<Catalogue>} */
async function wordsIn(lang) {
  const known = catalogues.get(lang);
  if (known) return known;
  const res = await fetch(`/p-assets/locales/${encodeURIComponent(lang)}.json`);
  const words = /** @type {Catalogue} */ (await readJson(res));
  catalogues.set(lang, words);
  return words;
}

/** What the API answered, or a state of its own when it did not (rate limit, no connection). */
async function openLink() {
  try {
    const res = await fetch(`/api/p/${encodeURIComponent(token)}`);
    if (res.status === 429) return stateOnly('rate-limited');
    return /** @type {OpenedLink} */ (await readJson(res));
  } catch {
    return stateOnly('unavailable');
  }
}

/**
 * A page with no context from the API (it could not be asked): no numbers to give.
 * @param {'rate-limited' | 'unavailable'} state @returns {LinkView}
 */
const stateOnly = (state) => ({
  state,
  language: document.documentElement.lang === 'es' ? 'es' : 'en',
  languages: [],
  onCallNumber: '',
  emergencyNumber: '',
  severeAtLeast: 11,
});

/** @param {PageContext} link @param {Catalogue} words */
function severeItems(link, words) {
  /** @type {string[]} */
  const items = [];
  for (const [instrument, scores] of Object.entries(answers)) {
    const ins = /** @type {Record<string, { items: Record<string, { label: string }> }>} */ (words.instruments)[instrument];
    for (const [item, score] of Object.entries(scores)) if (score !== undefined && score >= link.severeAtLeast) items.push(ins?.items[item]?.label ?? item);
  }
  return items;
}

/**
 * The policy's advice on a severe answer, with the 24/7 number: shown the moment a severe score is
 * chosen, right under that question (and again after sending).
 * @param {PageContext} link @param {Catalogue} words @param {string[]} items @param {string} id
 */
function advice(link, words, items, id) {
  if (items.length === 0) return nothing;
  const list = items.length > 1 ? `${items.slice(0, -1).join(', ')} ${words.advice.and} ${items.at(-1)}` : (items[0] ?? '');
  const [before, after] = fill(words.advice.severe, { items: list, severeAtLeast: link.severeAtLeast, onCallNumber: '\u0000' }).split('\u0000');
  return html`<section class="advice" aria-labelledby="advice-${id}">
    <h3 id="advice-${id}">${words.advice.title}</h3>
    <p>${before}<a class="number" href="tel:${link.onCallNumber.replace(/[^\d+]/g, '')}">${link.onCallNumber}</a>${after ?? ''}</p>
    <p>${fill(words.advice.emergency, { emergencyNumber: link.emergencyNumber })}</p>
  </section>`;
}

/** What a screen reader hears when a severe answer is chosen (the advice itself is under the question). */
/** @param {PageContext} link @param {Catalogue} words */
function adviceAnnouncement(link, words) {
  const items = severeItems(link, words);
  return items.length
    ? `${words.advice.title}. ${fill(words.advice.severe, { items: items.join(', '), severeAtLeast: link.severeAtLeast, onCallNumber: link.onCallNumber })}`
    : '';
}

/** @param {PageContext} link @param {Catalogue} words @param {string} instrument @param {string} item @param {{ label: string; low: string; high: string }} w */
function scale(link, words, instrument, item, w) {
  const id = `${instrument}-${item}`;
  const chosen = answers[instrument]?.[item];
  return html`<fieldset aria-describedby="hint-${id}">
    <legend>${w.label}</legend>
    <p class="visually-hidden" id="hint-${id}">${fill(words.page.scaleHint, { low: w.low, high: w.high })}</p>
    <div class="choices">
      ${Array.from(
        { length: 11 },
        (_, n) =>
          html`<label class="choice">
            <input type="radio" name=${id} value=${n} .checked=${chosen === n} @change=${() => choose(instrument, item, n)} />
            <span class="n" aria-hidden="true">${n}</span><span class="visually-hidden">${n}${n === 0 ? ` – ${w.low}` : n === 10 ? ` – ${w.high}` : ''}</span>
          </label>`,
      )}
    </div>
    <div class="anchors" aria-hidden="true"><span>0: ${w.low}</span><span>10: ${w.high}</span></div>
    ${chosen !== undefined ? html`<button type="button" class="clear" @click=${() => choose(instrument, item, undefined)}>${words.page.notAnswered}<span class="visually-hidden">: ${w.label}</span></button>` : nothing}
    ${chosen !== undefined && chosen >= link.severeAtLeast ? advice(link, words, [w.label], id) : nothing}
  </fieldset>`;
}

/** @param {Extract<OpenedLink, { state: 'open' }>} link @param {Catalogue} words */
function questionnaire(link, words) {
  const instruments =
    /** @type {Record<string, { title: string; instruction: string; items: Record<string, { label: string; low: string; high: string }> }>} */ (
      words.instruments
    );
  const expires = new Intl.DateTimeFormat(words.lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(link.expiresAt));
  return html`<div class="top">
      <h1>${words.page.title}</h1>
      ${languagePicker(link, words)}
    </div>
    <p>${words.page.intro}</p>
    <form novalidate @submit=${(/** @type {SubmitEvent} */ e) => void submit(e)}>
      ${link.instruments.map((ins) => {
        const i = instruments[ins];
        if (!i) return nothing;
        return html`<section aria-labelledby="title-${ins}">
          <h2 id="title-${ins}">${i.title}</h2>
          <p>${i.instruction}</p>
          ${Object.entries(i.items).map(([item, w]) => scale(link, words, ins, item, w))}
        </section>`;
      })}
      <p class="visually-hidden" aria-live="polite">${adviceAnnouncement(link, words)}</p>
      <p class="error" role="alert">${view.error}</p>
      <button class="primary" type="submit" ?disabled=${view.sending}>${view.sending ? words.page.sending : words.page.submit}</button>
    </form>
    <p class="muted">${fill(words.page.expires, { date: expires })} ${words.page.privacy}</p>`;
}

/** @param {PageContext} link @param {Catalogue} words */
function languagePicker(link, words) {
  if (link.languages.length < 2) return nothing;
  return html`<div class="language">
    <label for="language">${words.page.language}</label>
    <select id="language" @change=${(/** @type {Event} */ e) => void switchLanguage(/** @type {HTMLSelectElement} */ (e.target).value)}>
      ${link.languages.map((l) => html`<option value=${l.code} lang=${l.code} ?selected=${l.code === words.lang}>${l.name}</option>`)}
    </select>
  </div>`;
}

/** @param {PageContext & { state: string }} link @param {Catalogue} words */
function closed(link, words) {
  const s = stateWords(words, link.state);
  const top = html`<div class="top">
    <h1>${s.title}</h1>
    ${languagePicker(link, words)}
  </div>`;
  if (link.state !== 'closed') return html`${top}<p>${fill(s.body, { onCallNumber: link.onCallNumber })}</p>`;
  // A closed pathway: nobody reads answers here, so the severe-symptom advice, with the 24/7 number, is the page.
  const [before, after] = fill(s.body, { onCallNumber: '\u0000' }).split('\u0000');
  return html`${top}
    <section class="advice" aria-labelledby="advice-closed">
      <h2 id="advice-closed">${words.advice.title}</h2>
      <p>${before}<a class="number" href="tel:${link.onCallNumber.replace(/[^\d+]/g, '')}">${link.onCallNumber}</a>${after ?? ''}</p>
      <p>${fill(words.advice.emergency, { emergencyNumber: link.emergencyNumber })}</p>
    </section>`;
}

/** @param {Submitted} link @param {Catalogue} words */
function thanks(link, words) {
  return html`<h1>${words.done.title}</h1>
    <p>${words.done.body}</p>
    ${advice(link, words, severeItems(link, words), 'done')}`;
}

/** The title and text of a state's page (an unknown state reads as an invalid link). @param {Catalogue} words @param {string} state */
function stateWords(words, state) {
  const states = /** @type {Record<string, { title: string; body: string }>} */ (words.states);
  return states[state] ?? words.states.invalid;
}

function draw() {
  const { link, words } = view;
  if (!link || !words) return;
  document.documentElement.lang = words.lang;
  if (link.state === 'open') {
    render(questionnaire(link, words), page);
    document.title = words.page.title;
  } else if (link.state === 'submitted') {
    render(thanks(link, words), page);
    document.title = words.done.title;
  } else {
    render(closed(link, words), page);
    document.title = stateWords(words, link.state).title;
  }
}

/** @param {string} instrument @param {string} item @param {number | undefined} score */
function choose(instrument, item, score) {
  answers[instrument] = { ...answers[instrument], [item]: score };
  view.error = '';
  draw();
}

/** @param {string} lang */
async function switchLanguage(lang) {
  view.words = await wordsIn(lang);
  draw();
  document.getElementById('language')?.focus();
}

/** @param {SubmitEvent} e */
async function submit(e) {
  e.preventDefault();
  const words = view.words;
  if (!words || view.sending) return;
  const given = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([, s]) => s !== undefined))]));
  if (!Object.values(given).some((v) => Object.keys(v).length > 0)) {
    view.error = words.page.nothingChosen;
    return draw();
  }
  view.sending = true;
  draw();
  try {
    const res = await fetch(`/api/p/${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lang: words.lang, answers: given }),
    });
    if (res.status === 429 || res.status >= 500) {
      view.error = (res.status === 429 ? words.states['rate-limited'] : words.states.unavailable).body;
    } else {
      view.link = /** @type {OpenedLink | Submitted} */ (await readJson(res));
      view.words = await wordsIn(view.link.language);
    }
  } catch {
    view.error = words.states.unavailable.body;
  }
  view.sending = false;
  draw();
  if (view.link?.state !== 'open') page.focus();
}

async function start() {
  const link = await openLink();
  page.replaceChildren(); // the "loading" line and the noscript note
  view.link = link;
  view.words = await wordsIn(link.language);
  draw();
  page.focus();
}

void start();
