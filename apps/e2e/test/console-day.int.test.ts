import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Notifier } from '@tandem/notifier/notifier';
import { advancedDiagnosis, clinicalEvent, newPatientId, resetTestDatabase } from '@tandem/testing';
import { BrowserProblems, launchChromium, SCREENSHOTS, seriousAccessibilityIssues, signIn } from '../src/browser';
import { startNotifier } from '../src/notifier';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * A clinician's working day in the console, in real Chromium with the choices a person makes: the
 * queue's counts, the priority, task and overdue filters, claiming into "My tasks", finding a
 * patient by id, and the reminders addressed to their team. Screenshots: test-results/screenshots/day-*.png.
 * The browser reports no console error, failed request or Content-Security-Policy violation.
 */
let sys: RunningTandem;
let notifier: Notifier;
let browser: Browser;
let problems: BrowserProblems;
let page: Page;

beforeAll(async () => {
  // The queue counts and filters are read across the whole queue: start from an empty database.
  await resetTestDatabase();
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  notifier = await startNotifier(sys, 'console-day');
  browser = await launchChromium();
  problems = new BrowserProblems(browser, sys.apiUrl);
  page = await problems.newPage({ viewport: { width: 1366, height: 900 } });
}, 120_000);

afterEach(() => problems.assertClean());

afterAll(async () => {
  await browser?.close();
  await notifier?.stop();
  await sys?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `day-${name}.png`), fullPage: true });
const send = (patientId: string, ...events: object[]) =>
  sys.producer.send({ topic: sys.topics.in, messages: events.map((e) => ({ key: patientId, value: JSON.stringify(e) })) });
const rows = () => page.locator('#tasks tr[data-task]');
/** The text of the one row shown, or '' while there are more or none. */
const onlyRow = async () => ((await rows().count()) === 1 ? ((await rows().first().textContent()) ?? '') : '');

describe('a working day in the console', () => {
  it('filters the queue, claims into My tasks, finds a patient by id and reads the team’s reminders', async () => {
    const patientId = newPatientId('day');
    await send(
      patientId,
      advancedDiagnosis(patientId),
      clinicalEvent('prom.submitted', patientId, { instrument: 'ESAS-r', responseId: 'r-day-1', scores: { pain: 9, nausea: 5 } }),
    );

    await signIn(page, sys.apiUrl, 'clinician', 'dr-day');
    await page.getByLabel('Queue').selectOption('oncology');
    // Enrolment's three routine tasks, the urgent review and the referral proposal.
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(5);
    await expect
      .poll(async () => ((await page.getByLabel('Queue').locator('option:checked').textContent()) ?? '').replace(/\s+/g, ' ').trim())
      .toBe('Oncology — 5 open, 1 urgent');

    await page.getByLabel('Priority', { exact: true }).selectOption({ label: 'Urgent' });
    await expect.poll(onlyRow).toContain('Symptom review — pain 9/10, severe; nausea 5/10, moderate');
    await shot('1-urgent-only');
    await page.getByLabel('Priority', { exact: true }).selectOption({ label: 'Any' });
    await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Baseline assessment' });
    // Wait for the row the new filter shows, not for a count the previous filter's one row also met.
    await expect.poll(onlyRow).toContain('Baseline assessment');
    await page.getByLabel('Task', { exact: true }).selectOption({ label: 'Any' });
    await page.getByLabel('Overdue only').check();
    await expect.poll(() => page.locator('#tasks').textContent()).toContain('No open tasks here.');
    await page.getByLabel('Overdue only').uncheck();
    await expect.poll(() => rows().count()).toBe(5);

    const review = rows().filter({ hasText: 'Symptom review' });
    await review.getByRole('button', { name: /^Claim Symptom review for patient/ }).click();
    await expect.poll(() => review.textContent()).toContain('claimed by dr-day');
    await page.getByRole('link', { name: 'My tasks' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('My tasks');
    await expect.poll(() => rows().count()).toBe(1);
    await expect(rows().first().textContent()).resolves.toContain('Symptom review');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await shot('2-my-tasks');

    await page.getByLabel('Patient id').fill(patientId);
    await page.getByRole('button', { name: 'Find patient' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 }).toBe(`Patient ${patientId}`);
    await expect.poll(async () => (await page.getByRole('table', { name: 'Questionnaire answers, newest first' }).textContent()) ?? '').toContain('9 (severe)');

    // SACT given with a prognosis under a month: the oncology team is reminded (and an MDT review opened).
    await send(
      patientId,
      clinicalEvent('prognosis.estimated', patientId, { months: 0.5 }),
      clinicalEvent('sact.administered', patientId, { regimen: 'docetaxel' }),
    );
    await page.getByRole('link', { name: 'Reminders' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Reminders');
    const reminder = page.getByRole('table', { name: 'Reminders and escalations' }).locator('tr', { hasText: `patient ${patientId}` });
    await reminder.waitFor({ timeout: 30_000 }); // the page refreshes by itself
    await expect(reminder.textContent()).resolves.toContain('a team: Oncology');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await shot('3-reminders');
  }, 120_000);
});
