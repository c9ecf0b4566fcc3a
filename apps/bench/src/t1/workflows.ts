import { condition, proxyActivities, setHandler, defineSignal } from '@temporalio/workflow';

/** T1's minimal workflow: each signal becomes one activity that inserts one PostgreSQL row. */
export interface BenchSignal {
  id: string;
}

export const benchSignal = defineSignal<[BenchSignal]>('bench');

const { insertRow } = proxyActivities<{ insertRow(s: BenchSignal): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function benchWorkflow(): Promise<void> {
  const inbox: BenchSignal[] = [];
  setHandler(benchSignal, (s) => void inbox.push(s));
  for (;;) {
    await condition(() => inbox.length > 0);
    for (const s of inbox.splice(0)) await insertRow(s);
  }
}
