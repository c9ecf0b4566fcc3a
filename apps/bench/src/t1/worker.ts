import { NativeConnection, Worker } from '@temporalio/worker';
import { Pool } from 'pg';

/** T1's worker process: the minimal workflow and its one-insert activity, nothing else. */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.BENCH_TASK_QUEUE!,
    workflowsPath: require.resolve('./workflows'),
    activities: {
      async insertRow(s: { id: string }) {
        await pool.query('INSERT INTO bench_t1_row (id) VALUES ($1) ON CONFLICT DO NOTHING', [s.id]);
      },
    },
  });
  process.on('SIGTERM', () => worker.shutdown());
  process.stderr.write('t1 worker polling\n');
  await worker.run();
  await connection.close();
  await pool.end();
}

main().catch((e: unknown) => {
  process.stderr.write(`t1 worker: ${(e as Error).message}\n`);
  process.exit(1);
});
