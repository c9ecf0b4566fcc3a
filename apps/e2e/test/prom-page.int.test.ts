import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { requestHandles } from '@tandem/api/request-handle';
import type { CareNotification } from '@tandem/domain';
import { careNotificationSchema } from '@tandem/domain';
import { promLinkTokens } from '@tandem/db';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { Notifier } from '@tandem/notifier/notifier';
import { BrowserProblems, launchChromium, SCREENSHOTS, seriousAccessibilityIssues, signIn } from '../src/browser';
import { caughtMail, mailFor } from '../src/mailbox';
import { startNotifier } from '../src/notifier';
import { collectTopic } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The patient's PROM page on the real services, in real Chromium: the link comes from a
 * prom-request taken off Kafka; a patient who prefers Spanish answers with the keyboard only, sees the
 * severe-answer advice at once, and the answer becomes a symptom review for the clinicians. Every
 * link that must not work (used, expired, tampered, after a death, after a withdrawal) shows its page
 * and queues nothing. Screenshots: test-results/screenshots/prom-*.png. The browser reports no console
 * error, failed request or Content-Security-Policy violation beyond the refusals a test provokes and names.
 */
/** Requests a minute this API allows a client on the link API (the default, 30, is too few for one test file's many page loads). */
const LIMIT = 200;
let sys: RunningTandem;
let browser: Browser;
let problems: BrowserProblems;
let page: Page;
let notifications: Awaited<ReturnType<typeof collectTopic>>;
let notifier: Notifier;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl'), patientPageRequestsPerMinute: LIMIT });
  notifications = await collectTopic(sys.kafka, sys.topics.notifications, `prom-page-${Date.now()}`);
  // The notifier, so the patient page can show how each notification was delivered.
  notifier = await startNotifier(sys, 'prom-page');
  browser = await launchChromium();
  problems = new BrowserProblems(browser, sys.apiUrl);
  // A phone-sized screen: the page is built for one.
  page = await problems.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
}, 120_000);

afterEach(() => problems.assertClean());

afterAll(async () => {
  await browser?.close();
  await notifier?.stop();
  await notifications?.stop();
  await sys?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `prom-${name}.png`), fullPage: true });
const send = (patientId: string, ...events: object[]) =>
  sys.producer.send({ topic: sys.topics.in, messages: events.map((e) => ({ key: patientId, value: JSON.stringify(e) })) });

/** Registers and enrols a patient and returns the baseline prom-request as it came off care-notifications. */
async function enrolled(prefix: string, registration: Record<string, unknown> = {}): Promise<{ patientId: string; request: CareNotification }> {
  const patientId = newPatientId(prefix);
  await send(
    patientId,
    clinicalEvent('patient.registered', patientId, { birthDate: '1950-02-03', preferredLanguage: 'en', ...registration }),
    advancedDiagnosis(patientId),
  );
  const request = await waitFor(
    () => {
      for (const m of notifications.messages) {
        const n = careNotificationSchema.parse(JSON.parse(m.value?.toString() ?? '{}'));
        if (n.patientId === patientId && n.kind === 'prom-request') return n;
      }
      return undefined;
    },
    { timeoutMs: 30_000, what: `the prom-request for ${patientId} on care-notifications` },
  );
  return { patientId, request };
}

const promSubmissions = async (patientId: string) =>
  (await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM clinical_event WHERE patient_id = $1 AND type = 'prom.submitted'`, [patientId])).rows[0]!
    .n;

const heading = () => page.getByRole('heading', { level: 1 }).textContent();

describe('the PROM page', () => {
  it('a Spanish-speaking patient answers from the link with the keyboard only, sees the advice at once, and the clinicians get a symptom review', async () => {
    const { patientId, request } = await enrolled('prom-es', { preferredLanguage: 'es-ES', contact: { email: 'paciente@patients.test' } });
    // The link: the PROM page's address with a sealed token; nothing of the patient in it.
    expect(request.link).toMatch(new RegExp(`^${sys.config.publicUrl}/p/[A-Za-z0-9_.-]+$`));
    const link = request.link!;
    expect(link).not.toContain(patientId);
    for (const part of new URL(link).pathname.split('/').pop()!.split('.')) expect(Buffer.from(part, 'base64url').toString('latin1')).not.toContain(patientId);

    // Readable at 200% zoom: a 390-pixel phone at 200% is 195 CSS pixels wide; nothing scrolls sideways.
    const zoomed = await problems.newPage({ viewport: { width: 195, height: 422 }, deviceScaleFactor: 2 });
    await zoomed.goto(link.replace(sys.config.publicUrl, sys.apiUrl));
    await zoomed.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 });
    await zoomed.screenshot({ path: join(SCREENSHOTS, 'prom-0-zoom-200.png') });
    const wide = await zoomed.evaluate<string[]>(
      // Text for screen readers only is clipped to a pixel: not content that could scroll.
      `[...document.querySelectorAll('body *:not(.visually-hidden)')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => e.tagName + ' ' + (e.textContent ?? '').slice(0, 30))`,
    );
    expect(wide).toEqual([]);
    expect(await zoomed.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await zoomed.close();

    await page.goto(link.replace(sys.config.publicUrl, sys.apiUrl));
    await expect.poll(heading, { timeout: 15_000 }).toBe('Su cuestionario de síntomas');
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);
    await shot('1-open-es');

    // Keyboard only: Tab into the first scale (pain), arrow keys to 8, Tab on to the next scale.
    await page.keyboard.press('Tab'); // the language menu
    await page.keyboard.press('Tab'); // pain: the group's first choice
    for (let i = 0; i < 8; i += 1) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('radio', { name: '8', exact: true }).first().isChecked()).toBe(true);
    // The advice is there at once, before anything is sent, with the 24/7 number from the policy.
    const advice = page.getByRole('region', { name: 'Por favor, llámenos ahora' }).first();
    await expect.poll(() => advice.textContent()).toContain('0300 123 4567');
    await expect.poll(() => advice.textContent()).toContain('Dolor');
    await page.keyboard.press('Tab'); // pain's "not answered" button
    await page.keyboard.press('Tab'); // the 24/7 number in the advice under pain (a phone link)
    await page.keyboard.press('Tab'); // tiredness
    expect(await page.evaluate<string | null>('document.activeElement?.getAttribute("name")')).toBe('ESAS-r-tiredness');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
    await shot('2-severe-advice-es');
    expect(await seriousAccessibilityIssues(page)).toEqual([]);

    await page.getByRole('button', { name: 'Enviar mis respuestas' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(heading, { timeout: 15_000 }).toBe('Gracias');
    await expect.poll(() => page.locator('.advice').textContent()).toContain('0300 123 4567');
    await shot('3-thank-you-es');

    // The answer went through the event intake as prom.submitted naming the request, and opened an urgent symptom review.
    const clinician = await sys.token(['clinician'], 'onc-prom');
    const review = await waitFor(
      async () => {
        const r = await fetch(`${sys.apiUrl}/api/v1/tasks?queue=oncology&patientId=${encodeURIComponent(patientId)}&type=symptom-review`, {
          headers: { authorization: `Bearer ${clinician}` },
        });
        const body = (await r.json()) as { items: Array<{ priority: string; reason: { rule: string; evidence: Record<string, unknown> } }> };
        return body.items[0];
      },
      { timeoutMs: 30_000, what: 'the symptom review opened by the answer' },
    );
    expect(review.priority).toBe('urgent');
    expect(review.reason.rule).toBe('2.2.triggers.severe-physical');
    const stored = await sys.pool.query<{ data: { requestId: string; instrument: string; scores: Record<string, number> } }>(
      `SELECT envelope->'data' AS data FROM clinical_event WHERE patient_id = $1 AND type = 'prom.submitted'`,
      [patientId],
    );
    expect(stored.rows.map((r) => r.data)).toEqual([
      { instrument: 'ESAS-r', requestId: request.reason.evidence.requestId, responseId: expect.any(String), scores: { pain: 8, tiredness: 3 } },
    ]);

    // The clinician's inbox says it in words, and the patient page shows the new point on the symptom chart.
    const desk = await problems.newPage({ viewport: { width: 1366, height: 900 } });
    await signIn(desk, sys.apiUrl, 'clinician', 'onc-prom');
    await desk.getByLabel('Queue').selectOption('oncology');
    const row = desk.locator('tr', { hasText: `patient ${patientId}` }).filter({ hasText: 'Symptom review' });
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toMatch(/Symptom review — pain 8\/10, severe, reported \d{1,2} [A-Z][a-z]{2}/);
    await expect(row.textContent()).resolves.toContain('Physical item ≥ 7: urgent symptom-review (1 day)');
    expect(await seriousAccessibilityIssues(desk)).toEqual([]);
    await desk.screenshot({ path: join(SCREENSHOTS, 'prom-5-clinician-inbox.png'), fullPage: true });
    await row.getByRole('link', { name: `patient ${patientId}` }).click();
    await expect.poll(() => desk.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 }).toBe(`Patient ${patientId}`);
    const answers = desk.getByRole('table', { name: 'Questionnaire answers, newest first' });
    await expect.poll(() => answers.getByRole('row').nth(1).textContent()).toContain('8 (severe)');
    // ECharts describes the chart for screen readers: the Pain series carries the new point.
    await expect.poll(async () => (await desk.locator('#symptom-chart').getAttribute('aria-label')) ?? '').toMatch(/Pain.*8/);
    // The questionnaire request was delivered to the patient by e-mail, with the link the patient used.
    await expect
      .poll(async () => (await desk.getByRole('table', { name: 'Notifications sent' }).textContent()) ?? '', { timeout: 20_000 })
      .toContain("e-mail: Delivered to the patient's e-mail");
    const mail = mailFor(await caughtMail(), request.id);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(link);
    // Delivered: neither the outbox nor the notifier's record keeps the link (a bearer key) any more; the
    // table the page reads holds only its hash (finding 18).
    const token = link.split('/p/')[1]!;
    const atRest = await sys.pool.query<{ where: string }>(
      `SELECT 'outbox' AS where FROM outbox WHERE patient_id = $1 AND sent_at IS NOT NULL AND payload::text LIKE '%' || $2 || '%'
       UNION ALL SELECT 'notification' FROM notification WHERE patient_id = $1 AND payload::text LIKE '%' || $2 || '%'
       UNION ALL SELECT 'prom_link' FROM prom_link WHERE patient_id = $1 AND row_to_json(prom_link)::text LIKE '%' || $2 || '%'`,
      [patientId, token.slice(0, 32)],
    );
    expect(atRest.rows).toEqual([]);
    expect(
      (await sys.pool.query(`SELECT 1 FROM prom_link WHERE patient_id = $1 AND token_hash = sha256(convert_to($2, 'UTF8'))`, [patientId, token])).rowCount,
    ).toBe(1);
    expect(await seriousAccessibilityIssues(desk)).toEqual([]);
    await desk.screenshot({ path: join(SCREENSHOTS, 'prom-6-patient-page.png'), fullPage: true });
    await desk.close();

    // The same link again: already answered, nothing more queued. The page's request for it is refused (410) on purpose.
    problems.expectFailures({ why: 'an answered link is refused when opened again', url: `${sys.apiUrl}/api/p/${token}`, status: 410 });
    await page.goto(link.replace(sys.config.publicUrl, sys.apiUrl));
    await expect.poll(heading, { timeout: 15_000 }).toBe('Estas respuestas ya se enviaron');
    await shot('4-used-es');
    const again = await fetch(`${sys.apiUrl}/api/p/${link.split('/p/')[1]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers: { 'ESAS-r': { pain: 2 } } }),
    });
    expect(again.status).toBe(410);
    expect(((await again.json()) as { state: string }).state).toBe('used');
    expect(await promSubmissions(patientId)).toBe(1);
  }, 120_000);

  it('refuses an expired, a tampered, a never-queued, a revoked link each with its own page; a died-for, withdrawn-from or transferred-out link says only "closed", in no patient language, with the severe-symptom advice; a pain 9 answer to it is never "sent to your care team"', async () => {
    const tokens = promLinkTokens(sys.config);
    // Patients who prefer Spanish: a closed link must not tell whoever holds it the patient's language (finding 14).
    const dead = await enrolled('prom-died', { preferredLanguage: 'es' });
    const withdrawn = await enrolled('prom-wd', { preferredLanguage: 'es' });
    const transferred = await enrolled('prom-tr', { preferredLanguage: 'es' });
    const expiredFor = await enrolled('prom-exp');
    const revoked = await enrolled('prom-rev');
    const coordinator = await sys.token(['coordinator'], 'coord-prom');
    const revoke = () =>
      fetch(
        `${sys.apiUrl}/api/v1/patients/${revoked.patientId}/prom-requests/${requestHandles(sys.config).of(revoked.patientId, String(revoked.request.reason.evidence.requestId))}/revoke`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${coordinator}`, 'content-type': 'application/json' },
          body: JSON.stringify({ reason: 'sent to the wrong e-mail address' }),
        },
      );
    expect((await revoke()).status).toBe(200);
    expect((await revoke()).status).toBe(409);
    await send(dead.patientId, clinicalEvent('patient.died', dead.patientId, { placeOfDeath: 'home' }));
    await send(withdrawn.patientId, clinicalEvent('consent.changed', withdrawn.patientId, { scope: 'pathway', decision: 'withdrawn' }));
    await send(transferred.patientId, clinicalEvent('patient.transferred', transferred.patientId, { toOrganisation: 'org-elsewhere' }));
    const expired = await tokens.seal(
      { rid: String(expiredFor.request.reason.evidence.requestId), pid: expiredFor.patientId, ins: ['ESAS-r', 'DT'] },
      new Date(Date.now() - 60_000),
    );
    const genuine = expiredFor.request.link!.split('/p/')[1]!;
    const tampered = `${genuine.slice(0, -6)}${genuine.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    // Sealed with the payload key, unexpired, for a real request: but never queued, so not a link (found by hash, finding 18).
    const neverQueued = await tokens.seal(
      { rid: String(expiredFor.request.reason.evidence.requestId), pid: expiredFor.patientId, ins: ['ESAS-r', 'DT'] },
      new Date(Date.now() + 3_600_000),
    );
    const pathOf = (n: { request: CareNotification }) => n.request.link!.split('/p/')[1]!;
    await waitFor(
      async () => {
        const r = await sys.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM clinical_event WHERE (patient_id = $1 AND type = 'patient.died') OR (patient_id = $2 AND type = 'consent.changed')
              OR (patient_id = $3 AND type = 'patient.transferred')`,
          [dead.patientId, withdrawn.patientId, transferred.patientId],
        );
        return r.rows[0]!.n === 3;
      },
      { timeoutMs: 20_000, what: 'the death and the withdrawal accepted' },
    );

    const cases = [
      { token: expired, state: 'expired', status: 410, title: 'This link has expired', patientId: expiredFor.patientId },
      { token: tampered, state: 'invalid', status: 404, title: 'This link does not work', patientId: expiredFor.patientId },
      { token: neverQueued, state: 'invalid', status: 404, title: 'This link does not work', patientId: expiredFor.patientId },
      { token: pathOf(revoked), state: 'revoked', status: 410, title: 'This link has been withdrawn', patientId: revoked.patientId },
      { token: pathOf(dead), state: 'closed', status: 410, title: 'This questionnaire is closed', patientId: dead.patientId },
      { token: pathOf(withdrawn), state: 'closed', status: 410, title: 'This questionnaire is closed', patientId: withdrawn.patientId },
      { token: pathOf(transferred), state: 'closed', status: 410, title: 'This questionnaire is closed', patientId: transferred.patientId },
    ];
    for (const c of cases) {
      // Refused on purpose: the page asks for its link and is told why (404 or 410), which the browser logs as an error.
      problems.expectFailures({ why: `a ${c.state} link is refused`, url: `${sys.apiUrl}/api/p/${c.token}`, status: c.status });
      await page.goto(`${sys.apiUrl}/p/${c.token}`);
      await expect.poll(heading, { timeout: 15_000 }).toBe(c.title);
      // Nothing to answer on a refused link.
      expect(await page.getByRole('radio').count()).toBe(0);
      if (c.state === 'closed') {
        // What the patient sees: closed, no reason, and the advice with the 24/7 number to call now.
        const advice = page.getByRole('region', { name: 'Please call us now' });
        await expect.poll(() => advice.textContent()).toContain('0300 123 4567');
        expect(await page.getByRole('link', { name: '0300 123 4567' }).getAttribute('href')).toBe('tel:03001234567');
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        const text = (await page.locator('#page').textContent()) ?? '';
        expect(text).not.toMatch(/died|death|withdr|transfer|declin/i);
        expect(await seriousAccessibilityIssues(page)).toEqual([]);
      }
      await shot(`refused-${c.state}-${cases.indexOf(c)}`);
      const opened = (await (await fetch(`${sys.apiUrl}/api/p/${c.token}`)).json()) as Record<string, unknown>;
      const post = await fetch(`${sys.apiUrl}/api/p/${c.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ answers: { 'ESAS-r': { pain: 9 } } }),
      });
      const answered = (await post.json()) as Record<string, unknown>;
      expect({ state: answered.state, status: post.status }).toEqual({ state: c.state, status: c.status });
      if (c.state === 'closed')
        for (const body of [opened, answered]) {
          // The same answer whatever the reason, and not the patient's language (Spanish).
          expect({ state: body.state, error: body.error, language: body.language }).toEqual({ state: 'closed', error: 'closed', language: 'en' });
          expect(JSON.stringify(body)).not.toMatch(/died|withdrawn|transferred|declined/);
        }
    }
    for (const p of [dead, withdrawn, transferred, expiredFor, revoked]) expect(await promSubmissions(p.patientId)).toBe(0);
  }, 120_000);

  it('sends security headers, keeps the token and the patient out of metrics and audit, and rate-limits the link API', async () => {
    const { patientId, request } = await enrolled('prom-hdr');
    const token = request.link!.split('/p/')[1]!;
    const res = await fetch(`${sys.apiUrl}/p/${token}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    await fetch(`${sys.apiUrl}/api/p/${token}`);
    const metrics = await (await fetch(`${sys.apiUrl}/metrics`)).text();
    expect(metrics).toContain('route="/api/p/{token}"');
    expect(metrics).not.toContain(token.slice(0, 40));
    expect(metrics).not.toContain(patientId);
    const audit = await sys.pool.query<{ action: string }>(`SELECT action FROM audit WHERE action LIKE '%/p/%'`);
    for (const a of audit.rows) expect(a.action).not.toContain(token.slice(0, 20));

    // Past the limit a client gets 429 (the page then shows "please wait").
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i += 1) statuses.push((await fetch(`${sys.apiUrl}/api/p/not-a-token`)).status);
    expect(statuses).toContain(429);
    expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
  }, 60_000);
});
