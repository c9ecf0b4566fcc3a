import { join } from 'node:path';
import { launchChromium } from './browser';

/**
 * A screenshot of the Temporal UI of a running `npm start`, for docs/operations/ (not a test): a
 * pathway's history with its payloads decrypted by the API's codec server (--ui-codec-endpoint).
 * Usage: npx tsx apps/e2e/src/temporal-ui-screenshot.ts <workflowId> [http://127.0.0.1:8233]
 */
async function main(workflowId: string | undefined, ui = 'http://127.0.0.1:8233'): Promise<void> {
  if (!workflowId) throw new Error('usage: temporal-ui-screenshot.ts <workflowId> [ui]');
  const out = join(__dirname, '..', '..', '..', 'docs', 'operations');
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const decoded: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/codec/decode')) decoded.push(String(r.status()));
  });
  await page.goto(`${ui}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
  await page.waitForTimeout(4000);
  // The first signal's input, expanded: the clinical event as the pathway received it.
  await page
    .getByText(/WorkflowExecutionSignaled|Signal/)
    .first()
    .click()
    .catch(() => undefined);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: join(out, 'temporal-ui-decoded.png'), fullPage: false });
  process.stdout.write(`codec decode responses: ${decoded.join(', ') || 'none'}\n`);
  await browser.close();
}

main(process.argv[2], process.argv[3]).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
