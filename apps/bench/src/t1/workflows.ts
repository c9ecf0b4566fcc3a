import { condition, proxyActivities, proxyLocalActivities, setHandler, defineSignal } from '@temporalio/workflow';

/** T1's minimal workflow: each signal becomes one activity that inserts one PostgreSQL row. */
export interface BenchSignal {
  id: string;
}

export const benchSignal = defineSignal<[BenchSignal]>('bench');

type InsertActivity = { insertRow(s: BenchSignal): Promise<void> };
const { insertRow } = proxyActivities<InsertActivity>({ startToCloseTimeout: '30 seconds' });
const { insertRow: insertRowLocally } = proxyLocalActivities<InsertActivity>({ startToCloseTimeout: '30 seconds' });

async function serve(insert: (s: BenchSignal) => Promise<void>): Promise<void> {
  const inbox: BenchSignal[] = [];
  setHandler(benchSignal, (s) => void inbox.push(s));
  for (;;) {
    await condition(() => inbox.length > 0);
    for (const s of inbox.splice(0)) await insert(s);
  }
}

/** T1: the insert as an activity task (through the server's matching service). */
export async function benchWorkflow(): Promise<void> {
  await serve(insertRow);
}

/** T1-local, the reference: the insert as a local activity, as Tandem carries out its steps (ADR 0010). */
export async function benchWorkflowLocal(): Promise<void> {
  await serve(insertRowLocally);
}
