import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import type { TandemConfig } from '@tandem/config';
import { createLogger } from '@tandem/config';
import { MEASURE_CATALOGUE } from '@tandem/domain';
import { MeasuresService } from '../src/measures/measures.service';

/**
 * The period a measures request asks for, as the drill-down hands it to PostgreSQL. The pool answers
 * no rows and records each query's parameters; the refresh before an answer fails (no connection),
 * which the service logs and answers on regardless.
 */
function drillDownBounds(q: { from?: string; to?: string }, now: Date): Promise<unknown[]> {
  const params: unknown[][] = [];
  const pool = {
    connect: () => Promise.reject(new Error('no database in a unit test')),
    query: (_sql: string, values: unknown[]) => {
      params.push(values);
      return Promise.resolve({ rows: [] });
    },
  } as unknown as Pool;
  const service = new MeasuresService(pool, {} as Admin, {} as TandemConfig, createLogger('api', 'error'));
  const cohort = MEASURE_CATALOGUE.find((m) => m.basis === 'cohort')!.id;
  return service.patients(cohort, { ...q, limit: 10 }, now).then(() => params.flat().slice(0, 2));
}

describe('a measures request names its period', () => {
  const now = new Date('2026-12-01T10:00:00Z');

  it('by its end alone: the year that ends there, not a year before today', async () => {
    expect(await drillDownBounds({ to: '2024-06-30' }, now)).toEqual(['2023-07-02T00:00:00.000Z', '2024-07-01T00:00:00.000Z']);
  });

  it('by neither end: the last 365 days up to today', async () => {
    expect(await drillDownBounds({}, now)).toEqual(['2025-12-02T00:00:00.000Z', '2026-12-02T00:00:00.000Z']);
  });

  it('by its start alone: up to today; a start after today is refused', async () => {
    expect(await drillDownBounds({ from: '2026-11-01' }, now)).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z']);
    await expect(drillDownBounds({ from: '2027-01-01' }, now)).rejects.toThrow('the period is not valid');
  });
});
