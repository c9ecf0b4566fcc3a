import { readdirSync, readFileSync } from 'node:fs';

/** Which part of the system a process is, from its command line; undefined for the rest of the machine. */
export function componentOf(cmdline: string, comm: string, self: boolean): string | undefined {
  if (self) return 'load generator';
  if (cmdline.includes('temporal') && cmdline.includes('start-dev')) return 'Temporal server';
  if (cmdline.includes('kafka.Kafka')) return 'Kafka';
  if (comm === 'postgres') return 'PostgreSQL';
  if (cmdline.includes('apps/worker/src/main.ts') || cmdline.includes('apps/bench/src/t1/worker.ts')) return 'worker';
  if (cmdline.includes('apps/kafka-bridge/src/main.ts')) return 'kafka-bridge';
  return undefined;
}

/** CPU time (user + system, ms) used so far by each component's processes, read from /proc (Linux). */
export function cpuByComponent(): Map<string, number> {
  const out = new Map<string, number>();
  const tickMs = 10; // USER_HZ is 100 on Linux
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, plus cutime + cstime: children that ended and were reaped (PostgreSQL's
      // backends when a pool closes a connection) would otherwise take their CPU time with them.
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const component = componentOf(cmdline, comm, Number(entry) === process.pid);
      if (component) out.set(component, (out.get(component) ?? 0) + ticks * tickMs);
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** CPU ms per event of each component between two readings. */
export function perEvent(before: Map<string, number>, after: Map<string, number>, events: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [k, v] of after) result[k] = Math.round(((v - (before.get(k) ?? 0)) / events) * 100) / 100;
  return result;
}
