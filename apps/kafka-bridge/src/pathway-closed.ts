/**
 * The patient's pathway ended before rules revision 4 (its workflow completed): Temporal refuses to
 * start it again (id reuse: failed runs only), so the event cannot reach a pathway that would
 * remember why it closed. The event stays in the event log and is parked with reason
 * `pathway-closed` for operations, never silently re-enrolling someone (docs/clinical-rules.md 2.10a).
 */
export class PathwayClosedError extends Error {
  readonly parkAs = 'pathway-closed';

  constructor() {
    super('the pathway has closed: its workflow completed before closed pathways stayed open');
    this.name = 'PathwayClosedError';
  }
}

/** The reason to park a record with, for a permanent refusal. */
export const parkReasonOf = (e: Error): string => (e instanceof PathwayClosedError ? e.parkAs : 'processing-failed');
