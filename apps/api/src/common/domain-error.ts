/**
 * What went wrong, in the product's terms, where it went wrong (a service, a controller): a task that
 * is not there, one claimed by another, an outcome its type does not allow. Which HTTP status each
 * kind is, is decided in one place, `HTTP_STATUS_OF`, read by the error filter (error.filter.ts).
 */
export const HTTP_STATUS_OF = {
  'invalid-request': 400,
  /** A payload the codec server cannot decrypt with the keys it holds. */
  undecodable: 400,
  forbidden: 403,
  'not-found': 404,
  'no-drill-down': 404,
  'no-trend': 404,
  conflict: 409,
  'claimed-by-another': 409,
  'outcome-not-allowed': 409,
  'nothing-to-retry': 409,
  'unknown-key-worker': 422,
  unavailable: 503,
} as const;

export type DomainErrorKind = keyof typeof HTTP_STATUS_OF;

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
