/**
 * What the pathway workflow imports at run time: the engine and the policy helpers, without the
 * zod validators of events and policy files (they run at the services' edges, not in the workflow
 * sandbox, where a bundle three times the size made every new workflow measurably slower).
 */
export { initialState, openTasks, step } from './pathway';
/** The rules revisions: which a new pathway starts at, and which changes are in force for a state. */
export { inForce, LEGACY_RULES_REVISION, revisionOf, RULES_REVISION } from './revisions/table';
/** Whether a pathway's duties are all over, so its workflow may end (ADR 0017). */
export { dutiesOver } from './pathway/ended';
export { upgradePolicy } from './policy/resolved';
/** The task vocabulary's allowed outcomes (no zod): the workflow checks a completion against them. */
export { allowedOutcomes } from './tasks/vocabulary';
