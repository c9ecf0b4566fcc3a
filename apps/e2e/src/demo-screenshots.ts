import { join } from 'node:path';
import { launchChromium, signIn } from './browser';

/**
 * Screenshots of a running `npm start -- --demo` for docs/demo/ (not a test): the inbox and a patient
 * page as an oncology clinician sees them, and the dashboard as a service lead does.
 * Usage: npx tsx apps/e2e/src/demo-screenshots.ts [http://127.0.0.1:3000] [patient id]
 * With a patient id, the patient page is that patient's (one with a long symptom trajectory, say);
 * without, the first patient of the inbox.
 */
async function main(base = 'http://127.0.0.1:3000', patientId?: string): Promise<void> {
  const out = join(__dirname, '..', '..', '..', 'docs', 'demo');
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // The oncology clinician's inbox: the busiest queue (symptom reviews, ACP, referrals), with what is overdue.
  await signIn(page, base, 'clinician', 'clinician-1');
  await page.getByRole('heading', { name: /inbox/i }).first().waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, '01-inbox.png') });
  if (patientId) await page.goto(`${base}/#/patients/${encodeURIComponent(patientId)}`);
  else
    await page
      .getByRole('link', { name: /patient|sim-/i })
      .first()
      .click();
  await page.waitForTimeout(2500);
  await page.screenshot({ path: join(out, '02-patient.png'), fullPage: false });
  await signIn(page, base, 'ops', 'lead-1');
  await page.goto(`${base}/#/dashboard`);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: join(out, '03-dashboard.png'), fullPage: true });
  await browser.close();
}

void main(process.argv[2], process.argv[3]);
