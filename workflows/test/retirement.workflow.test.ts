import { readdirSync } from 'node:fs';
import type { WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { tuneWorkflowBundle } from '@tandem/temporal/bundle';
import { RETIRED } from './fixtures/retired-patch/workflow-sdk';
import { dataConverter } from './support/env.test.helpers';
import { HISTORIES_DIR, loadHistory, patchesOf } from './support/history.test.helpers';

/**
 * A rehearsal of retiring a workflow patch (docs/rule-revisions.md, step 2) on the committed
 * histories: the pathway workflow is bundled with `patched('local-carry-out')` replaced by
 * `deprecatePatch` and the new branch. Every history that recorded the patch's marker still replays;
 * a history recorded before the patch does not — which is why a patch is deprecated only once no
 * running pathway started before it (`npm run -s pathway-revisions -- --started-before …`), and why
 * step 3 removes the histories that predate it.
 */
const histories = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.binpb'));
const withMarker = histories.filter((f) => patchesOf(loadHistory(f)).includes(RETIRED));
const before = histories.filter((f) => f.startsWith('v1-'));
let retired: WorkflowBundle;

beforeAll(async () => {
  const sdk = require.resolve('./fixtures/retired-patch/workflow-sdk.ts');
  retired = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/index.ts'),
    logger: new DefaultLogger('WARN'),
    webpackConfigHook: (config) => {
      const tuned = tuneWorkflowBundle(config);
      return { ...tuned, resolve: { ...tuned.resolve, alias: { ...(tuned.resolve?.alias as object), '@temporalio/workflow$': sdk } } };
    },
  });
}, 120_000);

describe(`retiring the patch ${RETIRED} (a rehearsal on the committed histories)`, () => {
  it('the rehearsal bundle is the pathway workflow with the patch deprecated', () => {
    expect(retired.code).toContain('deprecatePatch(patchId)');
    expect(withMarker.length).toBeGreaterThanOrEqual(10);
    // Histories v1 were recorded before the patch existed.
    expect(before.length).toBeGreaterThan(0);
    for (const f of before) expect(patchesOf(loadHistory(f))).not.toContain(RETIRED);
  });

  it.each(withMarker)('%s, which recorded the marker, replays with the patch deprecated', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: retired, dataConverter }, loadHistory(file), `retired-${file}`);
  });

  it('a history recorded before the patch fails to replay once it is deprecated', async () => {
    await expect(
      Worker.runReplayHistory({ workflowBundle: retired, dataConverter }, loadHistory('v1-journey-b-run1.binpb'), 'retired-v1'),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  }, 60_000);
});
