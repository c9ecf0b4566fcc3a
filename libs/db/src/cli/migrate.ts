import { loadConfigOrExit } from '@tandem/config';
import { migrate } from '../migrate';
import { createPool } from '../pool';

async function main(): Promise<void> {
  const pool = createPool(loadConfigOrExit(), { max: 1 });
  try {
    const { applied, alreadyApplied } = await migrate(pool);
    process.stdout.write(
      `tandem: migrations: ${applied.length} applied${applied.length ? ` (${applied.join(', ')})` : ''}, ${alreadyApplied} already in place\n`,
    );
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`tandem: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
