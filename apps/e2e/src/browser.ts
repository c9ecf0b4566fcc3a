import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
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

/** A failure a test provokes on purpose, and says why: a response of `status` from `url` (that URL, or any matching). */
export interface ExpectedFailure {
  why: string;
  url: string | RegExp;
  status: number;
}

/** Installed in every page: a violation of the Content-Security-Policy, as the page saw it. */
interface CspViolation {
  directive: string;
  blocked: string;
  source: string;
  line: number;
  sample: string;
}

/**
 * Every page a browser test opens, watched for what a person would not see but the page did wrong:
 * errors in the browser console (a blocked inline style is one, "Failed to load resource" another),
 * uncaught exceptions, responses of 400 or more from the API's origin, requests that failed, and
 * Content-Security-Policy violations (`securitypolicyviolation` events, with the file and line that
 * caused them). `assertClean()` after each test fails it on any of them, except the responses that
 * test declared with `expectFailures` (for that test only).
 */
export class BrowserProblems {
  private problems: string[] = [];
  private expected: ExpectedFailure[] = [];

  constructor(
    private readonly browser: Browser,
    /** The origin of the pages under test (the API's URL): responses from elsewhere are not ours to judge. */
    private readonly origin: string,
  ) {}

  /** A page in its own context (as `browser.newPage` opens one), watched; closing the page closes its context. */
  async newPage(options?: BrowserContextOptions): Promise<Page> {
    const context = await this.browser.newContext(options);
    await this.watch(context);
    const page = await context.newPage();
    // The browser may close first (a file's afterAll): its context is then gone already, and the
    // rejection saying so is no fault of the page — unhandled, it failed a whole CI run.
    page.once('close', () => void context.close().catch(() => undefined));
    return page;
  }

  /** Watches every page of `context`, now and later. */
  async watch(context: BrowserContext): Promise<void> {
    await context.exposeBinding('__tandemCspViolation', (_source, v: CspViolation) => {
      this.problems.push(`CSP violation of ${v.directive} (${v.blocked}${v.sample ? `: ${v.sample}` : ''}) at ${v.source}:${v.line}`);
    });
    // Capture on window: a violation is dispatched at the element that caused it, or at the document.
    // A string, evaluated in the page before its own scripts (this project's TypeScript has no DOM types).
    await context.addInitScript(`window.addEventListener('securitypolicyviolation', (e) => {
      window.__tandemCspViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample });
    }, true);`);
    context.on('console', (m) => {
      if (m.type() !== 'error') return;
      const at = m.location().url;
      const status = /the server responded with a status of (\d{3})/.exec(m.text())?.[1];
      if (status && this.isExpected(at, Number(status))) return;
      this.problems.push(`console error: ${m.text()}${at ? ` (${at})` : ''}`);
    });
    context.on('weberror', (e) => this.problems.push(`uncaught in the page: ${e.error().stack ?? e.error().message}`));
    context.on('response', (r) => {
      if (r.status() < 400 || !this.isOurs(r.url()) || this.isExpected(r.url(), r.status())) return;
      this.problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    });
    context.on('requestfailed', (r) => {
      const failure = r.failure()?.errorText ?? '';
      // A page left while its request was in flight (the 5-s refresh, a navigation) aborts it: not a fault.
      if (failure === 'net::ERR_ABORTED' || !this.isOurs(r.url())) return;
      this.problems.push(`request failed: ${r.method()} ${r.url()} (${failure})`);
    });
  }

  /** Failed responses the current test provokes on purpose; forgotten at `assertClean`. */
  expectFailures(...failures: ExpectedFailure[]): void {
    this.expected.push(...failures);
  }

  /** Throws, naming each, if any page had a problem since the last call (the test's, or the file's start). */
  assertClean(): void {
    const problems = this.problems;
    this.problems = [];
    this.expected = [];
    if (problems.length) throw new Error(`the browser reported ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  private isOurs(url: string): boolean {
    return url.startsWith(`${this.origin}/`) || url === this.origin;
  }

  private isExpected(url: string, status: number): boolean {
    return this.expected.some((f) => f.status === status && (typeof f.url === 'string' ? f.url === url : f.url.test(url)));
  }
}
