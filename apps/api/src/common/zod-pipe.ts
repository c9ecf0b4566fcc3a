import type { PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';
import { ApiError } from './api-error';

/** Validates a request part against a zod schema; 400 lists every problem by field. */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: ZodType<T>,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): T {
    const r = this.schema.safeParse(value);
    if (r.success) return r.data;
    throw new ApiError(
      400,
      'invalid-request',
      `the ${this.what} is not valid`,
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
}
