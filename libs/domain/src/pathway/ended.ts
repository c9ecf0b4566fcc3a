import type { ResolvedPolicy } from '../policy/policy';
import type { ClinicalEvent } from '../events/envelope';
import { step } from './engine';
import type { PathwayState } from './state';
import { openTasks } from './state';
import { inForce } from '../revisions/table';

/**
 * A pathway's duties are all over: it is closed (docs/clinical-rules.md 2.10a), no task of it is open
 * and no timer is left — its last follow-up done or cancelled. Its workflow then ends (ADR 0017):
 * what it held is kept in PostgreSQL (`pathway_end`) instead of in an open workflow for ever.
 */
export function dutiesOver(s: PathwayState): boolean {
  return inForce(s, 'closure-stays') && s.stage === 'closed' && openTasks(s).length === 0 && Object.keys(s.timers).length === 0;
}

/** What a late event does to a pathway that ended (ADR 0017). */
export type EndedPathwayVerdict =
  /** The rules would write something (a re-enrolment's tasks, a severe answer's review): a run starts from the ended state and takes the event. */
  | { kind: 'start-run' }
  /** Nothing to write, but the pathway remembers it (a closed pathway remembers what it saw): the ended state, updated. */
  | { kind: 'remember'; state: PathwayState }
  /** Nothing changes. */
  | { kind: 'nothing' };

/**
 * A late event for a pathway that ended, judged by the rules on the state it ended with, as its
 * workflow would judge it. A closed pathway opens nothing (docs/clinical-rules.md 2.10a), so most
 * late events start no run: the event is kept in the event log, and what the pathway remembers of it
 * (a late answer, a death after a withdrawal, a consent) is kept with its ended state. Only an event
 * the rules act on starts a run, which ends again once its duties are over: the two re-enrolments
 * (consent granted again, a new diagnosis after a transfer out), and a severe answer given before a
 * transfer or withdrawal that arrives after it (its urgent review: 2.10.closure.severe-answer).
 */
export function lateEventForEndedPathway(s: PathwayState, event: ClinicalEvent, policy: ResolvedPolicy, at: string): EndedPathwayVerdict {
  const result = step(s, { kind: 'event', event, at }, policy);
  if (result.commands.length > 0 || !dutiesOver(result.state)) return { kind: 'start-run' };
  return sameState(result.state, s) ? { kind: 'nothing' } : { kind: 'remember', state: result.state };
}

/** Deep equality of two states (plain JSON values), whatever the order their keys were written in. */
function sameState(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameState((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
