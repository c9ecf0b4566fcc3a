import type { MeasureFigure } from '@tandem/domain';

/**
 * `/api/v1/measures` for a period, read as a clinician (who sees exact figures: the `ops` role's
 * small-number suppression would hide the very numbers the oracle compares). Signs in with the
 * API's development sign-in, as the simulated staff do.
 */
export async function readMeasures(apiUrl: string, from: string, to: string): Promise<MeasureFigure[]> {
  const signIn = await fetch(`${apiUrl}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'clinician', sub: 'sim-oracle' }),
  });
  if (!signIn.ok) throw new Error(`the development sign-in refused the oracle (${signIn.status}); it needs the API on this machine`);
  const { token } = (await signIn.json()) as { token: string };
  const res = await fetch(`${apiUrl}/api/v1/measures?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`/api/v1/measures answered ${res.status}`);
  return ((await res.json()) as { measures: MeasureFigure[] }).measures;
}
