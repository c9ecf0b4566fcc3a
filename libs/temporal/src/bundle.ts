import type { BundleOptions, WorkflowBundle } from '@temporalio/worker';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
interface SwcUse {
  loader?: string;
  options?: { jsc?: { target?: string } };
}

/**
 * Webpack settings for the workflow bundle, measured with `npm run bench:ingest` (docs/benchmarks.md):
 * - Our TypeScript compiled for ES2022 instead of the SDK's ES2017: object spread stays native (the
 *   rules engine's immutable updates were going through swc's `_object_spread` helpers).
 * - Module concatenation: our ES modules become one scope. The worker re-evaluates the bundle's
 *   modules for every workflow it starts (module state is per workflow), so fewer modules make
 *   every new pathway cheaper.
 * Node 20 runs ES2022 natively; the SDK's own modules (CommonJS) are left as they are.
 */
export function tuneWorkflowBundle(config: WebpackConfig): WebpackConfig {
  for (const rule of config.module?.rules ?? []) {
    const use = (rule && typeof rule === 'object' ? rule.use : undefined) as SwcUse | undefined;
    if (use?.loader?.includes('swc-loader') && use.options?.jsc) use.options.jsc.target = 'es2022';
  }
  return { ...config, optimization: { ...config.optimization, concatenateModules: true } };
}

/** Worker options for bundling at start (`workflowsPath`): the same settings as `bundleWorkflows`. */
export const workflowBundlerOptions = { webpackConfigHook: tuneWorkflowBundle };

/** Bundles workflow code ahead of time (tests, replay) exactly as the worker does at start. */
export function bundleWorkflows(workflowsPath: string): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN'), webpackConfigHook: tuneWorkflowBundle });
}
