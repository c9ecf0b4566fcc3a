// Shared by the console's pages: the API client, HTML escaping, page switching and the refresh timer.
export const main = document.getElementById('main');
export const who = document.getElementById('who');
export const announcer = document.getElementById('announcer');
let refreshTimer;

export const token = () => sessionStorage.getItem('tandem.token');
export const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

export async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}`, ...(init.headers ?? {}) } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) {
    sessionStorage.removeItem('tandem.token');
    location.hash = '#/sign-in';
  }
  if (!res.ok) throw Object.assign(new Error(body.message ?? `HTTP ${res.status}`), { status: res.status });
  return body;
}

let page = 0;
/** A new page is being opened (each route change): a slower page still loading must not replace it. */
export const beginPage = () => ++page;
export const isCurrentPage = (p) => p === page;

export function show(html, title) {
  main.innerHTML = html;
  document.title = `${title} — Tandem`;
  main.focus();
}

/** One page's periodic refresh at a time: a new page stops the last one's. */
export function setRefresh(fn, ms) {
  clearInterval(refreshTimer);
  refreshTimer = setInterval(fn, ms);
}
export const stopRefresh = () => clearInterval(refreshTimer);

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
