import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@tandem/config';
import { migrate } from '../migrate';
import { createPool } from '../pool';
import { enableDevServiceLogins } from '../service-roles';

const usage = `usage: npm run -s migrate                          apply pending migrations (as the owner: DATABASE_URL)
       npm run -s migrate -- --dev-logins    also let the services' roles log in with their development passwords (npm start, tests, docker compose)`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'dev-logins': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`);
  }
  if (values.help) return void process.stdout.write(`${usage}\n`);
  const pool = createPool(loadConfigOrExit(), { max: 1 });
  try {
    const { applied, alreadyApplied } = await migrate(pool);
    process.stdout.write(
      `tandem: migrations: ${applied.length} applied${applied.length ? ` (${applied.join(', ')})` : ''}, ${alreadyApplied} already in place\n`,
    );
    if (values['dev-logins']) {
      await enableDevServiceLogins(pool);
      process.stdout.write('tandem: service roles may log in (development passwords)\n');
    }
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`tandem: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
