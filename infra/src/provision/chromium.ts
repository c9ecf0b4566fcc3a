import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { run } from '../exec';
import { step } from '../log';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The browser tests drive Debian's Chromium (playwright-core cannot download its own browser here).
 * Installed from Debian's packages when missing and we may (root); otherwise a clear instruction.
 */
export async function provisionChromium(): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (userInfo().uid !== 0) throw new Error(`Chromium is needed for the browser tests: install it with \`sudo apt-get install chromium\` or set CHROMIUM_PATH`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env });
  await step(
    'Installing Chromium from Debian packages',
    // A fresh machine may have no package lists yet: update once and retry.
    () => install().catch(() => run('apt-get', ['update', '-qq'], { env }).then(install)),
    { slowHint: 'first run only' },
  );
  return CHROMIUM;
}
