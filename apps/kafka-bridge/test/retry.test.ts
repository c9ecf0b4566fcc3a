import { describe, expect, it } from 'vitest';
import { backoffMs, isTransient } from '../src/retry';

describe('isTransient', () => {
  it.each([
    ['Temporal unavailable (gRPC 14)', { code: 14 }, true],
    ['deadline exceeded, wrapped (gRPC 4)', { cause: { code: 4 } }, true],
    ['connection refused', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), true],
    ['PostgreSQL shutting down (57P01)', { code: '57P01' }, true],
    ['no code at all', new Error('socket hang up'), true],
    ['invalid argument (gRPC 3)', { code: 3 }, false],
    ['no such namespace', Object.assign(new Error('Namespace not found'), { name: 'NamespaceNotFoundError' }), false],
    ['namespace not found (gRPC 5)', { cause: { code: 5 } }, false],
    ['permission denied (gRPC 7)', { code: 7 }, false],
    ['PostgreSQL data exception (22P02)', { code: '22P02' }, false],
    ['PostgreSQL integrity violation (23502)', { code: '23502' }, false],
  ])('%s → %s', (_name, error, transient) => {
    expect(isTransient(error)).toBe(transient);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 0, 100],
    [1, 1, 200],
    [2, 1, 400],
    [5, 1, 3_200],
    [20, 1, 30_000],
    [20, 0, 15_000],
  ])('attempt %i with jitter %f waits %i ms', (attempt, jitter, ms) => {
    expect(backoffMs(attempt, 30_000, () => jitter)).toBe(ms);
  });
});
