/** Nearest-rank percentile of a list of numbers (ms); NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface StepResult {
  rate: number;
  offered: number;
  completed: number;
  p50: number;
  p99: number;
  /** Events sent but not yet completed, sampled each second during the step: lag. */
  lagStart: number;
  lagEnd: number;
  sustained: boolean;
  /** CPU ms per event by component over the step (Linux /proc), where measured. */
  cpuMsPerEvent?: Record<string, number>;
}

/**
 * A rate is sustained when every event completed, p99 stayed under the limit and lag did not grow
 * over the step (its last sample at most one second's worth of events above its first).
 */
export function judge(rate: number, offered: number, latenciesMs: readonly number[], lagSamples: readonly number[], p99LimitMs = 1_000): StepResult {
  const p99 = percentile(latenciesMs, 99);
  const half = Math.floor(lagSamples.length / 2);
  const lagStart = Math.max(0, ...lagSamples.slice(0, Math.max(1, half)));
  const lagEnd = Math.max(0, ...lagSamples.slice(half));
  const sustained = latenciesMs.length === offered && p99 < p99LimitMs && lagEnd <= lagStart + rate;
  return { rate, offered, completed: latenciesMs.length, p50: percentile(latenciesMs, 50), p99, lagStart, lagEnd, sustained };
}
