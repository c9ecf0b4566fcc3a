import { readdirSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows } from '@tandem/temporal/bundle';
import { bundle, dataConverter } from './support/env.test.helpers';
import { HISTORIES_DIR, loadHistory } from './support/history.test.helpers';

/**
 * Replays committed, version-named histories of the journeys against today's workflow code: a
 * change that would break running pathways fails here. Regenerate with
 * `UPDATE_HISTORIES=1 npm test -- --project workflow` only for an intended, versioned change, after
 * bumping HISTORY_VERSION (support/history.test.helpers.ts): earlier versions stay and keep replaying.
 */
const histories = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.binpb'));
let current: WorkflowBundle;

beforeAll(async () => {
  current = await bundle();
}, 120_000);

describe('replay', () => {
  it('keeps the validators (zod) out of the workflow bundle', () => {
    // Every new pathway pays for the bundle in the sandbox: with zod in it, a workflow task took
    // 10x longer and Tandem sustained a third of the events per second (docs/benchmarks.md).
    expect(current.code).not.toContain('ZodError');
  });

  it('bundles our code for ES2022 (native object spread, no swc helpers) in concatenated modules', () => {
    // The worker evaluates the bundle's modules for every new workflow (libs/temporal/src/bundle.ts).
    expect(current.code).not.toContain('function _object_spread(');
    expect(current.code).toMatch(/\.\/workflows\/src\/index\.ts \+ \d+ modules/);
  });

  it('has committed histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it.each(histories)('replays %s with the current workflow code', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: current, dataConverter }, loadHistory(file), `replay-${file}`);
  });

  it('detects a non-deterministic change', async () => {
    const changed = await bundleWorkflows(require.resolve('./fixtures/nondeterministic-pathway.ts'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: changed, dataConverter }, loadHistory('v1-journey-b-run1.binpb'), 'replay-changed'),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  }, 60_000);
});
