import type { ArgumentsHost } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@tandem/config';
import { ApiError } from '../src/common/api-error';
import { DomainError, HTTP_STATUS_OF } from '../src/common/domain-error';
import type { DomainErrorKind } from '../src/common/domain-error';
import { ErrorFilter } from '../src/common/error.filter';

/** A domain error becomes its HTTP status in one place (HTTP_STATUS_OF), with its kind as `error`. */
function answer(exception: unknown): { status: number; body: unknown } {
  const out = { status: 0, body: undefined as unknown };
  const res = {
    status(s: number) {
      out.status = s;
      return this;
    },
    json(b: unknown) {
      out.body = b;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new ErrorFilter(createLogger('api', 'error')).catch(exception, host);
  return out;
}

describe('the error filter', () => {
  it.each<[DomainErrorKind, number]>([
    ['not-found', 404],
    ['conflict', 409],
    ['claimed-by-another', 409],
    ['outcome-not-allowed', 409],
    ['unknown-key-worker', 422],
    ['invalid-request', 400],
    ['undecodable', 400],
    ['unavailable', 503],
  ])('answers a domain error %s with %i, its kind and its details', (kind, status) => {
    expect(HTTP_STATUS_OF[kind]).toBe(status);
    const r = answer(new DomainError(kind, 'said in words', [{ path: 'outcome', message: 'm' }]));
    expect(r).toEqual({ status, body: { error: kind, message: 'said in words', details: [{ path: 'outcome', message: 'm' }] } });
  });

  it('still answers an HTTP-level ApiError as it is, and anything else as a 500 without detail', () => {
    expect(answer(new ApiError(401, 'unauthorized', 'sign in')).status).toBe(401);
    expect(answer(new Error('secret detail'))).toEqual({ status: 500, body: { error: 'internal', message: 'something went wrong; the error has been logged' } });
  });
});
