import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Where the browser tests put their screenshots (test-results/screenshots/, created on first use). */
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');

/** Debian's Chromium (or CHROMIUM_PATH), headless, without the background traffic of a desktop browser. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical findings on the page as it is. The script is evaluated through the
 * browser's debugging protocol, not added as a <script>: the pages' Content-Security-Policy runs no
 * inline script, and must not be relaxed for the check.
 */
export async function seriousAccessibilityIssues(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }>(
    'axe.run(document, { resultTypes: ["violations"] })',
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Signs in to the console as a person does: the development sign-in form, a role and a user id. */
export async function signIn(page: Page, apiUrl: string, role: string, sub: string): Promise<void> {
  await page.goto(`${apiUrl}/#/sign-in`);
  await page.evaluate('sessionStorage.clear()');
  await page.goto(`${apiUrl}/#/sign-in`);
  await page.getByLabel('Development: sign in as a role').selectOption(role);
  await page.getByLabel('Your user id').fill(sub);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
