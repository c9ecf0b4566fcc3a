import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@tandem/config';
import type { Role } from '../auth/roles';
import { isRole, ROLES } from '../auth/roles';
import { signDevToken } from '../auth/tokens';

const usage = `usage: npm run -s token -- <role> [<role>…] [--sub <user id>] [--ttl 12h]\nroles: ${ROLES.join(', ')}`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { sub: { type: 'string' }, ttl: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`);
  }
  const { positionals, values } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (positionals.length === 0) throw new Error(`at least one role is required\n${usage}`);
  const unknown = positionals.filter((r) => !isRole(r));
  if (unknown.length) throw new Error(`unknown role ${unknown.join(', ')}\n${usage}`);
  const config = loadConfigOrExit();
  if (config.env === 'production') throw new Error('development tokens are refused when NODE_ENV=production');
  const roles = positionals as Role[];
  const token = await signDevToken(config, roles, values.sub ?? `dev-${roles[0]}`, values.ttl ?? '12h');
  process.stdout.write(`${token}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`token: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
