import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { resetTestDatabase, waitFor } from '@tandem/testing';
import { measuresCohort } from '../src/fixtures/measures-cohort';
import { BrowserProblems, launchChromium, SCREENSHOTS, seriousAccessibilityIssues, signIn as signInAs } from '../src/browser';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The operations dashboard in real Chromium on the real services, with the choices people make:
 * a service lead (ops) sees every measure family with its target lines and which miss them,
 * switches the equity view, exports CSV; an administrator drills down to a patient's page.
 * Screenshots in test-results/screenshots/ (dashboard-*.png); axe-core finds no serious issue, and
 * the browser reports no console error, failed request or Content-Security-Policy violation.
 */
let sys: RunningTandem;
let browser: Browser;
let problems: BrowserProblems;
let page: Page;

beforeAll(async () => {
  await resetTestDatabase();
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  await sys.producer.send({ topic: sys.topics.in, messages: measuresCohort.events().map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
  await waitFor(async () => (await sys.pool.query(`SELECT 1 FROM pathway_fact WHERE name = 'death'`)).rowCount === 2, {
    what: 'both deaths recorded',
    timeoutMs: 45_000,
  });
  browser = await launchChromium();
  problems = new BrowserProblems(browser, sys.apiUrl);
  page = await problems.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
}, 120_000);

afterEach(() => problems.assertClean());

afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

const signIn = (role: string, sub: string) => signInAs(page, sys.apiUrl, role, sub);

describe('the dashboard', () => {
  it('shows a service lead every family with its target lines, the equity view, and exports what is on screen', async () => {
    await signIn('ops', 'lead-ui');
    // A service lead works from no queue: the console opens the dashboard.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 }).toBe('Dashboard');
    for (const family of [
      'Timeliness of specialist palliative care',
      'Symptom care',
      'Advance care planning',
      'Quality of care at the end of life',
      'Caregivers and bereavement',
      'Operations',
    ])
      await expect(page.getByRole('heading', { level: 2, name: new RegExp(family) }).count()).resolves.toBe(1);
    const eol = page.getByRole('table', { name: 'Quality of care at the end of life' });
    const sact = eol.getByRole('row', { name: /Anticancer treatment \(SACT\) in the last 14 days/ });
    await expect(sact.textContent()).resolves.toContain('below 10%');
    // 1 of 2 patients: hidden for ops (small numbers), so its verdict against the target is not known.
    await expect(sact.textContent()).resolves.toContain('hidden (small numbers)');
    await expect(page.locator('.chart svg').count()).resolves.toBeGreaterThanOrEqual(5);
    await expect(page.getByText('Counts of 1 to 4 are hidden to protect privacy.').count()).resolves.toBe(1);
    await shot('dashboard-1-ops');

    await page.getByLabel('Measure', { exact: true }).selectOption({ label: 'Died in an acute hospital' });
    await page.getByLabel('Split by').selectOption({ label: 'Lives alone' });
    const equity = page.getByRole('table', { name: 'Died in an acute hospital by Lives alone' });
    await equity.waitFor();
    await expect(equity.getByRole('row').allTextContents()).resolves.toEqual(
      expect.arrayContaining([
        expect.stringContaining('yes'),
        expect.stringContaining('no'),
        expect.stringContaining('not recorded'),
        expect.stringContaining('Everyone'),
      ]),
    );
    // A group with nobody in it has no data; it is not "hidden" because the whole measure is.
    await expect(equity.getByRole('row', { name: /not recorded/ }).textContent()).resolves.toContain('no data');
    await page.locator('#equity').screenshot({ path: join(SCREENSHOTS, 'dashboard-2-equity.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('"Quality of care at the end of life"');
    expect(csv).toContain('"Anticancer treatment (SACT) in the last 14 days of life","hidden (small numbers)"');
    expect(csv).toContain('"Died in an acute hospital by Lives alone"');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
  }, 90_000);

  it('lets an administrator see exact figures, the trend, and drill down to the patient behind a measure', async () => {
    await signIn('admin', 'admin-ui');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 }).toBe('Dashboard');
    const row = page.getByRole('table', { name: 'Quality of care at the end of life' }).getByRole('row', { name: /Died in an acute hospital/ });
    await expect(row.textContent()).resolves.toContain('50.0%');
    await expect(row.textContent()).resolves.toContain('1 of 2');
    await expect(row.textContent()).resolves.toContain('misses target');
    await row.getByRole('button', { name: /12-month trend/ }).click();
    await page.getByRole('table', { name: 'Died in an acute hospital by month' }).waitFor();
    await shot('dashboard-3-admin-with-trend');

    await row.getByRole('link', { name: 'Patients' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Died in an acute hospital: the patients behind it');
    const list = page.getByRole('table', { name: 'Patients behind Died in an acute hospital' });
    await expect(list.getByRole('row').count()).resolves.toBe(3); // header, a (in the numerator), b
    await shot('dashboard-4-drill-down');
    await list.getByRole('link', { name: `patient ${measuresCohort.ids.a}` }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Patient ${measuresCohort.ids.a}`);
    await expect.poll(async () => (await page.locator('main').textContent()) ?? '').toContain('Bereavement follow-up');
    await shot('dashboard-5-patient');
  }, 90_000);
});
