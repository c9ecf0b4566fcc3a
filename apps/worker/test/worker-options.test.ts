import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@tandem/config';
import { pathwayWorkerOptions } from '../src/worker';

/** The options the worker would be created with under these settings (nothing connects: no Temporal, no database). */
function optionsUnder(env: Record<string, string>) {
  const config = loadConfig({ TANDEM_HOME: mkdtempSync(join(tmpdir(), 'tandem-worker-')), ...env });
  return pathwayWorkerOptions({
    connection: {} as NativeConnection,
    config,
    pool: {} as Pool,
    workflowBundle: { code: '' },
  });
}

describe('the worker options', () => {
  it('cache as many workflows as TANDEM_WORKER_MAX_CACHED_WORKFLOWS says', () => {
    expect(optionsUnder({ TANDEM_WORKER_MAX_CACHED_WORKFLOWS: '500' }).maxCachedWorkflows).toBe(500);
  });

  it("leave the cache to the SDK's default (derived from the heap) when it is unset", () => {
    const options = optionsUnder({});
    expect(options.maxCachedWorkflows).toBeUndefined();
    expect(options.taskQueue).toBe('tandem-pathway');
  });
});
