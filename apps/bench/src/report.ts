import { cpus, totalmem } from 'node:os';
import type { StepResult } from './stats';

export interface TargetResults {
  /** t1, t1-local or t2. */
  key: string;
  label: string;
  steps: StepResult[];
}

/** The highest rate sustained below the lowest rate that was not. */
export const maxSustained = (rs: StepResult[]) => {
  const firstFailure = Math.min(...rs.filter((r) => !r.sustained).map((r) => r.rate));
  return Math.max(0, ...rs.filter((r) => r.sustained && r.rate < firstFailure).map((r) => r.rate));
};

const COMPONENTS = ['Temporal server', 'worker', 'kafka-bridge', 'Kafka', 'PostgreSQL', 'load generator'];

/** The benchmark's report (Markdown): the targets side by side, the ratios, every step, and where the CPU went. */
export function renderReport(targets: TargetResults[], o: { stepSeconds: number; rates: number[] }): string {
  const at = (rs: StepResult[], rate: number) => rs.find((r) => r.rate === rate);
  const fmt = (r: StepResult | undefined) => (r ? `${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms` : 'not run');
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const ratio = (a: string, b: string) => {
    const [x, y] = [byKey.get(a), byKey.get(b)];
    return x && y && maxSustained(y.steps) ? `${((100 * maxSustained(x.steps)) / maxSustained(y.steps)).toFixed(0)}%` : '—';
  };
  const t2 = byKey.get('t2');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const lines = [
    row(['', ...targets.map((t) => t.label)]),
    row(['---', ...targets.map(() => '---')]),
    row(['highest sustained rate (p99 < 1 s, lag flat)', ...targets.map((t) => `${maxSustained(t.steps)} events/s`)]),
    row(['p50 / p99 at 10 events/s', ...targets.map((t) => fmt(at(t.steps, 10)))]),
    row(['p50 / p99 at 50 events/s', ...targets.map((t) => fmt(at(t.steps, 50)))]),
    ``,
    `T2/T1 sustained rate: ${ratio('t2', 't1')} (target ≥ 75%); T2/T1-local (reference, same kind of activity): ${ratio('t2', 't1-local')}; ` +
      `T2 p99 at 10 events/s: ${(t2 ? fmt(at(t2.steps, 10)) : '').split(' / ')[1] ?? '—'} (target < 250 ms).`,
    `Machine: ${machine}. Steps of ${o.stepSeconds} s up the ladder ${o.rates.join(', ')} events/s, then two halvings of the gap at the edge.`,
    ``,
    row(['rate', ...targets.flatMap((t) => [`${t.key} done`, `${t.key} p50`, `${t.key} p99`, `${t.key} lag`])]),
    row(['---', ...targets.flatMap(() => ['---', '---', '---', '---'])]),
    ...[...new Set(targets.flatMap((t) => t.steps.map((r) => r.rate)))]
      .sort((a, b) => a - b)
      .map((rate) =>
        row([
          `${rate}/s`,
          ...targets.flatMap((t) => {
            const r = at(t.steps, rate);
            return r
              ? [`${r.completed}/${r.offered}${r.sustained ? '' : ' ✗'}`, r.p50.toFixed(0), r.p99.toFixed(0), `${r.lagStart}→${r.lagEnd}`]
              : ['—', '—', '—', '—'];
          }),
        ]),
      ),
  ];
  // Where the CPU goes, at the highest rate every target sustained.
  const sustainedByAll = [...new Set(targets.flatMap((t) => t.steps.map((r) => r.rate)))].filter((rate) => targets.every((t) => at(t.steps, rate)?.sustained));
  const cpuRate = sustainedByAll.length ? Math.max(...sustainedByAll) : 10;
  const cpu = targets.map((t) => at(t.steps, cpuRate)?.cpuMsPerEvent ?? {});
  const total = (c: Record<string, number>) =>
    Object.values(c)
      .reduce((a, b) => a + b, 0)
      .toFixed(1);
  lines.push(
    ``,
    `CPU ms per event at ${cpuRate} events/s (user + system, all processes of each component):`,
    ``,
    row(['component', ...targets.map((t) => t.key)]),
    row(['---', ...targets.map(() => '---')]),
    ...COMPONENTS.map((k) => row([k, ...cpu.map((c) => c[k]?.toFixed(1) ?? '—')])),
    row(['total', ...cpu.map(total)]),
  );
  return lines.join('\n');
}
