// The latest weekly digest per team (CONTRACT section 7), with the change from the week before.
import { api, esc } from './common.js';
import { valueText, verdict } from './measure-format.js';

const change = (m) => (m.change === null || m.change === undefined ? '—' : `${m.change > 0 ? '+' : ''}${m.change}`);

export async function digestsSection(box, team) {
  const list = await api(`/api/v1/digests${team ? `?team=${encodeURIComponent(team)}` : ''}`);
  const latest = [...new Map(list.items.map((d) => [d.team, d])).values()].filter((d) => d.weekStart === list.items.find((x) => x.team === d.team).weekStart);
  box.innerHTML = `<h2 id="digests-title">Weekly digests</h2>
    ${latest.length === 0 ? '<p class="muted">No digest yet: one is made every Monday morning (or now, with <code>npm run -s digest -- --now</code>).</p>' : ''}
    <div class="actions">${latest.map((d) => `<button class="secondary" data-digest="${esc(d.id)}">${esc(d.team)}: week of ${esc(d.weekStart)}</button>`).join('')}</div>
    <div id="digest-detail"></div>`;
  box.addEventListener('click', async (e) => {
    const b = e.target.closest('[data-digest]');
    if (!b) return;
    const d = await api(`/api/v1/digests/${encodeURIComponent(b.dataset.digest)}`);
    document.getElementById('digest-detail').innerHTML = `<table aria-label="Digest: ${esc(d.team)}, week ${esc(d.weekStart)} to ${esc(d.weekEnd)}">
      <thead><tr><th scope="col">Measure</th><th scope="col">This week</th><th scope="col">Week before</th><th scope="col">Change</th><th scope="col">Against target</th></tr></thead>
      <tbody>${d.measures.map((m) => `<tr><th scope="row">${esc(m.label)}</th><td>${esc(valueText(m))}</td><td>${esc(valueText(m, m.previous))}</td><td>${esc(change(m))}</td><td class="${verdict(m).cls}">${esc(verdict(m).text)}</td></tr>`).join('')}</tbody></table>`;
  });
}
