import { judge } from './stats';
import type { StepResult } from './stats';

/** One system under test: how to send events and when each one's work was committed. */
export interface Target {
  name: string;
  /** Sends these events now (ids are unique per run). */
  send(ids: string[]): Promise<void>;
  /** Commit times (ms since the epoch) of the events done so far, by id. */
  completedAt(ids: string[]): Promise<Map<string, number>>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Offers events at a steady rate for a while (ticks every 10 ms, sending what is due), samples the
 * lag (sent minus completed) every second, then waits for stragglers and judges the step.
 */
export async function runStep(target: Target, rate: number, seconds: number, prefix: string): Promise<StepResult & { ids: string[] }> {
  const total = Math.round(rate * seconds);
  const sentAt = new Map<string, number>();
  const ids: string[] = [];
  const sends: Array<Promise<void>> = [];
  const lagSamples: number[] = [];
  const start = Date.now();
  let nextSample = start + 1_000;
  let failures = 0;
  while (ids.length < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1_000) * rate)) - ids.length;
    if (due > 0) {
      const batch = Array.from({ length: due }, (_, i) => `${prefix}-${ids.length + i}`);
      const now = Date.now();
      for (const id of batch) sentAt.set(id, now);
      ids.push(...batch);
      sends.push(target.send(batch).catch(() => void failures++));
    }
    if (Date.now() >= nextSample) {
      nextSample += 1_000;
      lagSamples.push(ids.length - (await target.completedAt(ids)).size);
    }
    await sleep(10);
  }
  await Promise.all(sends);
  if (failures > 0) process.stderr.write(`bench: ${failures} send(s) failed at ${rate}/s\n`);
  // Stragglers: wait up to 15 s for the last events (a step that needs longer is not sustained anyway).
  let done = await target.completedAt(ids);
  for (const until = Date.now() + 15_000; done.size < ids.length && Date.now() < until; done = await target.completedAt(ids)) await sleep(250);
  const latencies = [...done].map(([id, at]) => Math.max(0, at - sentAt.get(id)!));
  return { ...judge(rate, total, latencies, lagSamples), ids };
}

/** Waits until every event of a step is done (an overloaded step leaves a backlog that would spoil the next one). */
export async function drain(target: Target, ids: string[], timeoutMs = 180_000): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(500)) if ((await target.completedAt(ids)).size === ids.length) return true;
  return false;
}
