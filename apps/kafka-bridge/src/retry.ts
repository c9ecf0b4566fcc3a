/** gRPC status codes that are the request's fault: retrying the same event cannot succeed. */
const PERMANENT_GRPC = new Set([3 /* INVALID_ARGUMENT */, 5 /* NOT_FOUND */, 7 /* PERMISSION_DENIED */, 11 /* OUT_OF_RANGE */, 12 /* UNIMPLEMENTED */]);

/** Errors the Temporal client raises without a status code that no retry can cure. */
const PERMANENT_NAMES = new Set(['NamespaceNotFoundError', 'PayloadConverterError', 'ValueError', 'PathwayClosedError']);

/**
 * Whether an error delivering an event might pass by itself (Temporal or PostgreSQL down, busy,
 * slow, a dropped connection): those are retried for as long as it takes, never skipped. Only a
 * refusal that names the request as the problem counts as permanent.
 */
export function isTransient(e: unknown): boolean {
  const err = e as { name?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (typeof err.name === 'string' && PERMANENT_NAMES.has(err.name)) return false;
  const code = err.code ?? err.cause?.code;
  if (typeof code === 'number') return !PERMANENT_GRPC.has(code);
  // PostgreSQL SQLSTATE classes 22 (data exception) and 23 (integrity violation): this event's data.
  if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return false;
  return true;
}

/** Exponential backoff with full jitter, capped: 200 ms, 400 ms, … up to `capMs`. */
export function backoffMs(attempt: number, capMs = 30_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, 200 * 2 ** Math.min(Math.max(attempt - 1, 0), 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
