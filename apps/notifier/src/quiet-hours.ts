/**
 * A patient's quiet hours (policy `patientContact.quietHours`, in `patientContact.timeZone`): when a
 * message to them or their caregiver may not go, and when it may again. `from` after `to` spans
 * midnight (21:00–08:00); equal times mean no quiet hours.
 */
export function quietUntil(now: Date, hours: { from: string; to: string }, timeZone: string): Date | undefined {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const from = minutes(hours.from);
  const to = minutes(hours.to);
  if (from === to) return undefined;
  const local = localMinutes(now, timeZone);
  const quiet = from < to ? local >= from && local < to : local >= from || local < to;
  if (!quiet) return undefined;
  // Minutes until the end, stepping over midnight when the end is tomorrow; a second into the minute.
  const wait = (to - local + 1440) % 1440 || 1440;
  const startOfMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(startOfMinute + wait * 60_000);
}

function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}
