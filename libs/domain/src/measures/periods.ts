/** Measure periods are whole days (YYYY-MM-DD, both ends included), read in UTC. */
export interface Period {
  from: string;
  to: string;
}

const DAY = 86_400_000;
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (date: string, days: number): string => isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY));

/** The 365 days up to and including `to`. */
const yearEndingOn = (to: string): Period => ({ from: addDays(to, -364), to });

/** docs/contract.md section 7 default: the last 365 days up to today. */
export function defaultPeriod(now: Date): Period {
  return yearEndingOn(isoDate(now));
}

/**
 * A request's period from the ends it names. Its end alone: the year that ends there, as the default
 * is the year that ends today (a year back from today would start after a past end). Its start
 * alone: up to today. Neither: the default. The caller refuses a start after the end.
 */
export function requestedPeriod(q: { from?: string; to?: string }, now: Date): Period {
  const to = q.to ?? isoDate(now);
  return { from: q.from ?? yearEndingOn(to).from, to };
}

/** The instants a period covers: [start, end). */
export function periodBounds(p: Period): { start: string; end: string } {
  return { start: `${p.from}T00:00:00.000Z`, end: `${addDays(p.to, 1)}T00:00:00.000Z` };
}

/** The last `months` calendar months up to and including this one, oldest first (the trend). */
export function lastMonths(now: Date, months: number): Array<Period & { month: string }> {
  const out: Array<Period & { month: string }> = [];
  for (let i = months - 1; i >= 0; i--) {
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const next = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1));
    out.push({ month: isoDate(first).slice(0, 7), from: isoDate(first), to: isoDate(new Date(next.getTime() - DAY)) });
  }
  return out;
}

/** The calendar date at an instant in a time zone (the digest's site time zone). */
export function dateIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The week before the one `now` falls in (Monday to Sunday, in the site's time zone), and the week
 * before that: a digest made on Monday morning reports the week that has just ended.
 */
export function previousWeeks(now: Date, timeZone: string): { last: Period; before: Period } {
  const today = dateIn(now, timeZone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const thisMonday = addDays(today, -weekday);
  const lastMonday = addDays(thisMonday, -7);
  return {
    last: { from: lastMonday, to: addDays(lastMonday, 6) },
    before: { from: addDays(lastMonday, -7), to: addDays(lastMonday, -1) },
  };
}

/**
 * The whole calendar months inside a period, as [start, end) dates (null when there is none): the
 * measures read these from the month tallies and only the days at the edges from the day tallies.
 */
export function wholeMonths(p: Period): { start: string; end: string } | null {
  const from = new Date(`${p.from}T00:00:00Z`);
  const first = from.getUTCDate() === 1 ? from : new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  const afterTo = new Date(Date.parse(`${p.to}T00:00:00Z`) + DAY);
  const end = afterTo.getUTCDate() === 1 ? afterTo : new Date(Date.UTC(afterTo.getUTCFullYear(), afterTo.getUTCMonth(), 1));
  return first < end ? { start: isoDate(first), end: isoDate(end) } : null;
}
