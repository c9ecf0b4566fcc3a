/**
 * ISO-8601 durations (the subset a pathway policy needs: P[nW][nD][T[nH][nM][nS]]) in milliseconds.
 * Calendar months and years are deliberately not accepted: their length depends on the date.
 */
const pattern = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(iso: string): number {
  const m = pattern.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T'))
    throw new Error(`invalid ISO-8601 duration "${iso}" (use weeks, days, hours, minutes, seconds, e.g. P2D or PT1H)`);
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return ((n(w) * 7 + n(d)) * 24 * 3600 + n(h) * 3600 + n(min) * 60 + n(s)) * 1000;
}

export function isDuration(iso: string): boolean {
  try {
    parseDuration(iso);
    return true;
  } catch {
    return false;
  }
}
