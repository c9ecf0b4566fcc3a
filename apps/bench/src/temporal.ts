import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTemporal, stopTemporal } from '@tandem/infra/services';

/** The benchmarks' own Temporal dev server (UI on +1000), beside any development one on 7233. */
export const BENCH_TEMPORAL_PORT = 7243;

/** A Temporal dev server of its own, on a fresh database (no drift from earlier runs or another target). */
export async function freshTemporal(cli: string): Promise<{ address: string; dir: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-temporal-'));
  await startTemporal(cli, { name: 'bench-temporal', port: BENCH_TEMPORAL_PORT, uiPort: BENCH_TEMPORAL_PORT + 1000, dir });
  return {
    address: `127.0.0.1:${BENCH_TEMPORAL_PORT}`,
    dir,
    async stop() {
      await stopTemporal('bench-temporal');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
