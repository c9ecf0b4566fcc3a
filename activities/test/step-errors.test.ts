import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { classifyStepError, permanentStepError } from '../src/step-errors';

const pgError = (code: string) => Object.assign(new Error('value "Jane Doe" violates ...'), { code });

describe('classifyStepError (carryOut: retry or not)', () => {
  it.each([
    { code: '23505', type: 'integrity-constraint-violation' },
    { code: '23514', type: 'integrity-constraint-violation' },
    { code: '22P02', type: 'data-exception' },
    { code: '22023', type: 'data-exception' },
  ])('SQLSTATE $code is permanent: non-retryable $type, without the statement’s values', ({ code, type }) => {
    const failure = classifyStepError(pgError(code));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type });
    expect((failure as Error).message).toContain(code);
    expect((failure as Error).message).not.toContain('Jane');
  });

  it.each(['40001', '40P01', '57P01', '08006', '53300'])('SQLSTATE %s (serialization, shutdown, connection, resources) is retried', (code) => {
    const e = pgError(code);
    expect(permanentStepError(e)).toBeUndefined();
    expect(classifyStepError(e)).toBe(e);
  });

  it('an error without a SQLSTATE (a lost connection) is retried', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyStepError(e)).toBe(e);
  });
});
