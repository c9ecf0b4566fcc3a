import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { advancedDiagnosis, clinicalEvent, newPatientId, resetTestDatabase, waitFor } from '@tandem/testing';
import { BrowserProblems, launchChromium, SCREENSHOTS, signIn } from '../src/browser';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) on the real services:
 * a task opened by a Kafka event appears in the inbox, is claimed and completed there, leaves the
 * inbox, and the patient page shows the pathway. Screenshots land in test-results/screenshots/. The
 * browser reports no console error, failed request or Content-Security-Policy violation.
 */
let sys: RunningTandem;
let browser: Browser;
let problems: BrowserProblems;
let page: Page;

beforeAll(async () => {
  // The inbox is a paged view, most urgent first: the hundreds of tasks earlier files leave (the
  // crash test's 200 patients) would push this test's task off the first page and into the screenshots.
  await resetTestDatabase();
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  browser = await launchChromium();
  problems = new BrowserProblems(browser, sys.apiUrl);
  page = await problems.newPage({ viewport: { width: 1366, height: 850 } });
}, 120_000);

afterEach(() => problems.assertClean());

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
    // In words; the rule id and its evidence one click away.
    await expect.poll(() => row.textContent()).toContain('Assign a key worker');
    await expect.poll(() => row.textContent()).toContain('At enrolment: assign a named key worker');
    await row.getByText('Rule and evidence').click();
    await expect(row.locator('.rule').textContent()).resolves.toBe('2.1.enrolment.assign-key-worker');
    await shot('2-inbox-with-task');

    await row.getByRole('button', { name: /^Claim Assign a key worker for patient/ }).click();
    await expect.poll(() => row.textContent()).toContain('claimed by coord-ui');
    await row.getByLabel('Outcome').selectOption('assigned');
    await shot('3-claimed');
    await row.getByRole('button', { name: /^Complete Assign a key worker for patient/ }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    await shot('4-inbox-after-completion');

    await page.goto(`${sys.apiUrl}/#/patients/${patientId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Patient ${patientId}`);
    await expect.poll(async () => (await page.locator('main').textContent()) ?? '').toContain('Enrolled');
    await expect.poll(async () => (await page.locator('.timeline').textContent()) ?? '').toContain('Assign a key worker: Done — Key worker assigned');
    await shot('5-patient');

    await page.goto(`${sys.apiUrl}/api/docs`);
    await page.locator('.swagger-ui .info').getByText('Tandem API').waitFor({ timeout: 20_000 });
    await shot('6-api-docs');
  }, 90_000);

  it('a refresh never changes a chosen outcome: a declined referral proposal is completed as declined', async () => {
    await signIn(page, sys.apiUrl, 'clinician', 'onc-ui');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inbox');
    await page.getByLabel('Queue').selectOption('oncology');

    const patientId = newPatientId('ui-ref');
    const send = (e: object) => sys.producer.send({ topic: sys.topics.in, messages: [{ key: patientId, value: JSON.stringify(e) }] });
    await send(advancedDiagnosis(patientId));
    await send(clinicalEvent('clinical.flag', patientId, { flag: 'delirium' }));
    const row = page.locator('tr', { hasText: `patient ${patientId}` }).filter({ hasText: 'Propose referral to specialist palliative care' });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: /^Claim Propose referral to specialist palliative care/ }).click();
    await expect.poll(() => row.textContent()).toContain('claimed by onc-ui');
    await row.getByLabel('Outcome').selectOption('declined');

    // Refreshes go by: at least one that leaves the row as it was, and one that changes the task
    // under the person's hands (a new criterion adds its evidence to the open proposal).
    const refreshes = () => page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/v1/tasks?')).length);
    const before = await refreshes();
    await expect.poll(refreshes, { timeout: 15_000 }).toBeGreaterThan(before);
    await send(clinicalEvent('clinical.flag', patientId, { flag: 'spinal-cord-compression' }));
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('2.3.needs.cord-compression');
    const after = await refreshes();
    await expect.poll(refreshes, { timeout: 15_000 }).toBeGreaterThan(after);
    expect(await row.getByLabel('Outcome').inputValue()).toBe('declined');
    await shot('7-chosen-outcome-after-refresh');

    await row.getByRole('button', { name: /^Complete Propose referral to specialist palliative care/ }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    const stored = await sys.pool.query<{ outcome: string }>(`SELECT outcome FROM task WHERE patient_id = $1 AND type = 'specialist-referral-proposal'`, [
      patientId,
    ]);
    expect(stored.rows).toEqual([{ outcome: 'declined' }]);
    // The referral the patient declined is not sent: once the pathway has recorded the decline, no triage exists.
    await waitFor(async () => (await sys.pool.query(`SELECT 1 FROM pathway_fact WHERE patient_id = $1 AND name = 'referral-declined'`, [patientId])).rowCount, {
      what: 'the decline recorded by the pathway',
      timeoutMs: 20_000,
    });
    const triage = await sys.pool.query(`SELECT 1 FROM task WHERE patient_id = $1 AND type = 'specialist-referral-triage'`, [patientId]);
    expect(triage.rowCount).toBe(0);
  }, 120_000);

  it('Sign out revokes the session on the server: the token the page held is refused afterwards (issue 26, finding 15)', async () => {
    await signIn(page, sys.apiUrl, 'coordinator', 'leaves-ui');
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 });
    const token = await waitFor(async () => ((await page.evaluate<unknown>(`sessionStorage.getItem('tandem.token')`)) as string | null) ?? undefined, {
      what: 'the console’s token',
      timeoutMs: 10_000,
    });
    const me = () => fetch(`${sys.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await me()).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(me, { timeout: 10_000 }).toBe(401);
  }, 60_000);
});
