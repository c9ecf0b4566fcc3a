/**
 * Tells every pathway of a backfilled cohort that its history is all in (ADR 0019), as the
 * integration that loaded it (`POST /api/v1/patients/{id}/pathway/history-loaded`), then waits
 * until each has come to the present (its view no longer says `catchingUpAt`). Called once the
 * bridge has taken every event, so each pathway has every history signal before this one. The
 * staff start only after it: a completion that reached a pathway still stepping its past would be
 * taken at the past's time, and what follows from it (a follow-up questionnaire a week later) would
 * depend on who was faster. Development sign-in only, like the simulated staff.
 */
export async function tellHistoryLoaded(
  apiUrl: string,
  patientIds: readonly string[],
  o: { progress?: (stage: string) => void; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const [loader, reader] = await Promise.all([signIn(apiUrl, 'integration', 'simulator-history'), signIn(apiUrl, 'clinician', 'simulator-history-check')]);
  const post = (id: string) =>
    fetch(`${apiUrl}/api/v1/patients/${encodeURIComponent(id)}/pathway/history-loaded`, { method: 'POST', headers: { authorization: `Bearer ${loader}` } });
  let told = 0;
  const pathways: string[] = [];
  await eachOf(patientIds, async (id) => {
    const r = await post(id);
    // Every journey registers its patient, which starts a pathway: a 404 means the events never reached it.
    if (!r.ok) throw new Error(`the API refused to tell ${id}'s pathway that its history is loaded (${r.status})`);
    if (((await r.json()) as { status?: string }).status === 'told') pathways.push(id);
    o.progress?.(`history loaded: ${++told} of ${patientIds.length} pathways told`);
  });
  const deadline = Date.now() + (o.timeoutMs ?? 10 * 60_000);
  let waiting = pathways;
  while (waiting.length > 0 && !o.signal?.aborted) {
    if (Date.now() > deadline)
      throw new Error(`${waiting.length} pathways were still catching up with their history after ${(o.timeoutMs ?? 600_000) / 1000} s`);
    const still: string[] = [];
    await eachOf(waiting, async (id) => {
      const r = await fetch(`${apiUrl}/api/v1/patients/${encodeURIComponent(id)}/pathway`, { headers: { authorization: `Bearer ${reader}` } });
      // Not readable just now (503: the workers are busy stepping histories): asked again on the next round.
      if (!r.ok || ((await r.json()) as { catchingUpAt?: string }).catchingUpAt !== undefined) still.push(id);
    });
    waiting = still;
    o.progress?.(`history loaded: ${pathways.length - waiting.length} of ${pathways.length} pathways in the present`);
    if (waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function signIn(apiUrl: string, role: string, sub: string): Promise<string> {
  const res = await fetch(`${apiUrl}/api/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role, sub }) });
  if (!res.ok) throw new Error(`the development sign-in refused the history loader (${res.status}); simulate needs the API on this machine`);
  return ((await res.json()) as { token: string }).token;
}

/** Runs `fn` over the ids, eight at a time. */
async function eachOf(ids: readonly string[], fn: (id: string) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) await fn(ids[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(8, ids.length) }, worker));
}
