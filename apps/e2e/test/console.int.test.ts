import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { advancedDiagnosis, newPatientId, resetTestDatabase } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) on the real services:
 * a task opened by a Kafka event appears in the inbox, is claimed and completed there, leaves the
 * inbox, and the patient page shows the pathway. Screenshots land in test-results/screenshots/.
 */
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');
let sys: RunningTandem;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The inbox is a paged view, most urgent first: the hundreds of tasks earlier files leave (the
  // crash test's 200 patients) would push this test's task off the first page and into the screenshots.
  await resetTestDatabase();
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1366, height: 850 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('the console', () => {
  it('signs in, shows a task opened by a Kafka event, claims and completes it, and opens the patient page', async () => {
    await page.goto(sys.apiUrl);
    await page.getByLabel('Development: sign in as a role').selectOption('coordinator');
    await page.getByLabel('Your user id').fill('coord-ui');
    await shot('1-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inbox');

    const patientId = newPatientId('ui');
    await sys.producer.send({ topic: sys.topics.in, messages: [{ key: patientId, value: JSON.stringify(advancedDiagnosis(patientId)) }] });
    const row = page.locator('tr', { hasText: `patient ${patientId}` });
    await row.waitFor({ timeout: 20_000 }); // the inbox refreshes by itself
    await expect.poll(() => row.textContent()).toContain('2.1.enrolment.assign-key-worker');
    await shot('2-inbox-with-task');

    await row.getByRole('button', { name: /^Claim assign-key-worker/ }).click();
    await expect.poll(() => row.textContent()).toContain('claimed by coord-ui');
    await row.getByLabel('Outcome').selectOption('assigned');
    await shot('3-claimed');
    await row.getByRole('button', { name: /^Complete assign-key-worker/ }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await shot('4-inbox-after-completion');

    await page.goto(`${sys.apiUrl}/#/patients/${patientId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Patient ${patientId}`);
    await expect.poll(async () => (await page.locator('main').textContent()) ?? '').toContain('enrolled');
    await expect.poll(async () => (await page.locator('.timeline').textContent()) ?? '').toContain('assign-key-worker: done (assigned)');
    await shot('5-patient');

    await page.goto(`${sys.apiUrl}/api/docs`);
    await page.locator('.swagger-ui .info').getByText('Tandem API').waitFor({ timeout: 20_000 });
    await shot('6-api-docs');
  }, 90_000);
});
