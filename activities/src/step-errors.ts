import { ApplicationFailure } from '@temporalio/common';

/**
 * PostgreSQL errors that no retry can fix (SQLSTATE classes 22 data exception and 23 integrity
 * constraint violation, which include `tandem_carry_out`'s own 22023 for an unknown operation).
 * Everything else — a lost connection, a deadlock, a server shutting down — may succeed on the next
 * try and is left to the activity's retry policy.
 */
const PERMANENT_CLASSES: Record<string, string> = {
  '22': 'data-exception',
  '23': 'integrity-constraint-violation',
};

export interface PermanentStepError {
  type: string;
  sqlstate: string;
  /** Safe to log: the error's class and code, never the statement's values (PHI). */
  message: string;
}

export function permanentStepError(e: unknown): PermanentStepError | undefined {
  const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const type = PERMANENT_CLASSES[code.slice(0, 2)];
  return type ? { type, sqlstate: code, message: `the step's writes were refused by PostgreSQL (SQLSTATE ${code}, ${type})` } : undefined;
}

/** The failure to hand Temporal: non-retryable for a permanent error, the error itself otherwise. */
export function classifyStepError(e: unknown): unknown {
  const permanent = permanentStepError(e);
  return permanent ? ApplicationFailure.nonRetryable(permanent.message, permanent.type, { sqlstate: permanent.sqlstate }) : e;
}
