/**
 * Tells every pathway of a backfilled cohort that its history is all in (ADR 0019), as the
 * integration that loaded it: `POST /api/v1/patients/{id}/pathway/history-loaded`. Called once the
 * bridge has taken every event, so each pathway has every history signal before this one; it then
 * fires what fell due since its last event and runs in the present. Development sign-in only, like
 * the simulated staff.
 */
export async function tellHistoryLoaded(apiUrl: string, patientIds: readonly string[], progress?: (told: number) => void): Promise<void> {
  const res = await fetch(`${apiUrl}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'integration', sub: 'simulator-history' }),
  });
  if (!res.ok) throw new Error(`the development sign-in refused the history loader (${res.status}); simulate needs the API on this machine`);
  const { token } = (await res.json()) as { token: string };
  let next = 0;
  let told = 0;
  const worker = async () => {
    while (next < patientIds.length) {
      const id = patientIds[next++]!;
      const r = await fetch(`${apiUrl}/api/v1/patients/${encodeURIComponent(id)}/pathway/history-loaded`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      // 404: the patient's events never started a pathway (none of them enrol); nothing to tell.
      if (!r.ok && r.status !== 404) throw new Error(`the API refused to tell ${id}'s pathway that its history is loaded (${r.status})`);
      progress?.(++told);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, patientIds.length) }, worker));
}
