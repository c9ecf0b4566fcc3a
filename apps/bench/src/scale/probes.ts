import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { componentOf } from '../cpu';

/** Resident memory (MB) of each component's processes now, from /proc (PostgreSQL's shared buffers count once per backend). */
export function rssByComponent(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const comm = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '';
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const component = componentOf(cmdline, comm, Number(entry) === process.pid);
      const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      if (component) out[component] = (out[component] ?? 0) + kb / 1024;
    } catch {
      // the process ended while we looked
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v)]));
}

/** The largest RSS seen per component over the run. */
export class RssPeaks {
  readonly peak: Record<string, number> = {};
  sample(): Record<string, number> {
    const now = rssByComponent();
    for (const [k, v] of Object.entries(now)) this.peak[k] = Math.max(this.peak[k] ?? 0, v);
    return now;
  }
}

/** Bytes on disk under a path (du: blocks used, so Kafka's preallocated, sparse index files count as what they hold). */
export function diskBytes(path: string): number {
  try {
    return Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) * 1024;
  } catch {
    return 0;
  }
}

/** Kafka's bytes for this run's topics (their partition directories under the log dir). */
export function kafkaTopicBytes(logDir: string, suffix: string): number {
  let total = 0;
  for (const d of readdirSync(logDir)) if (d.includes(suffix)) total += diskBytes(`${logDir}/${d}`);
  return total;
}

/** PostgreSQL: the database's size and each table's (with its indexes and TOAST). */
export async function postgresBytes(pool: Pool): Promise<{ database: number; tables: Record<string, number> }> {
  const db = await pool.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n');
  const t = await pool.query<{ name: string; n: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC`,
  );
  return { database: Number(db.rows[0]!.n), tables: Object.fromEntries(t.rows.filter((r) => Number(r.n) > 64 * 1024).map((r) => [r.name, Number(r.n)])) };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
