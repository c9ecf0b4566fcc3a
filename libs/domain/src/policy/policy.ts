import { z } from 'zod';
import { PRIORITIES } from '../tasks/vocabulary';
import { isDuration, parseDuration } from './duration';

const duration = z.string().refine(isDuration, 'expected an ISO-8601 duration such as P2D or PT1H');
const taskPolicy = z.strictObject({ due: duration, priority: z.enum(PRIORITIES) });

/**
 * The pathway policy: every number of DOMAIN.md lives here, never in workflow code.
 * Sites override it with a file (TANDEM_POLICY); durations are divided by TANDEM_TIME_SCALE.
 */
export const pathwayPolicySchema = z.strictObject({
  version: z.string().min(1),
  enrolment: z.strictObject({
    assignKeyWorker: taskPolicy,
  }),
});

export type PathwayPolicy = z.infer<typeof pathwayPolicySchema>;

export const DEFAULT_POLICY: PathwayPolicy = {
  version: '2026-11-1',
  enrolment: {
    // DOMAIN.md 2.1: assign a named key worker within 2 days of enrolment.
    assignKeyWorker: { due: 'P2D', priority: 'soon' },
  },
};

/** A policy with its durations resolved and scaled: what the rules engine consumes. */
export interface ResolvedPolicy {
  policy: PathwayPolicy;
  timeScale: number;
}

export function durationMs(resolved: ResolvedPolicy, iso: string): number {
  return Math.max(1, Math.round(parseDuration(iso) / resolved.timeScale));
}

export type PolicyParseResult = { ok: true; policy: PathwayPolicy } | { ok: false; problems: string[] };

/** Validates a policy document (e.g. a parsed TANDEM_POLICY file) merged over the defaults. */
export function parsePolicy(document: unknown): PolicyParseResult {
  const merged = deepMerge(DEFAULT_POLICY, document);
  const parsed = pathwayPolicySchema.safeParse(merged);
  if (parsed.success) return { ok: true, policy: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return override;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
