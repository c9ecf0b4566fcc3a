import { LEGACY_RULES_REVISION, RULES_REVISION } from '@tandem/domain/workflow-api';

/**
 * The patch markers of the patientPathway workflow (patient-pathway.ts) and the run's budget: each
 * marker names a change that histories recorded before it replay without (docs/rule-revisions.md).
 */

/**
 * Marker for histories in which an event is de-duplicated by its identity (source, id), as
 * CloudEvents defines it (issue 26, finding 2); before it, by `id` alone, so an event whose id
 * another source had used was dropped. Steps recorded before the marker replay as they ran.
 */
export const EVENT_IDENTITY_PATCH = 'event-identity-source-id';

/**
 * Continue-as-new well before a run's history reaches 2,000 events, even if the server has not
 * suggested it yet (an input costs up to about 10 events: workflow task, timer, activity or local-activity marker).
 */
export const HISTORY_BUDGET_PER_RUN = 1_500;
/** Marker for histories in which a stage change alone is carried out (to publish its pathway event). */
export const STAGE_EVENTS_PATCH = 'stage-change-pathway-events';

/** Marker for histories in which steps are carried out by a local activity (ADR 0010). */
export const LOCAL_CARRY_OUT_PATCH = 'local-carry-out';

/**
 * Markers for histories whose pathway moved to a rules revision: 4 (docs/clinical-rules.md 2.10a: per-cycle
 * command ids, clinical-order judgement, a closed pathway that stays and remembers), 5 (the facts of
 * the operations measures). Steps recorded before a marker replay with the revision they ran under;
 * a pathway passes the markers in order, so a history recorded under revision 4 still replays.
 */
export const REVISIONS = Array.from({ length: RULES_REVISION - LEGACY_RULES_REVISION }, (_, i) => LEGACY_RULES_REVISION + 1 + i);
/** Steps whose writes failed for good, kept for the pathway view (newest last). */
export const MAX_PROBLEMS = 20;
/** Marker for histories in which the events of a step are vetted against the domain's schema first (signal-guard.ts). */
export const VET_EVENTS_PATCH = 'vet-events';
/**
 * Marker for histories in which a pathway whose duties are all over ends its workflow (ADR 0017);
 * before it, a closed pathway's workflow stayed open for ever. Histories recorded before replay as
 * they ran; a pathway that closed before the marker ends on its next input.
 */
export const PATHWAY_ENDS_PATCH = 'pathway-ends';
/** Marker for histories in which a run started without a carry-over first takes up the pathway's recorded end, if any (ADR 0017). */
export const ADOPT_END_PATCH = 'adopt-pathway-end';
/** Marker for histories in which a new pathway starts at the current rules revision instead of revision 3. */
export const CURRENT_REVISION_PATCH = 'start-at-current-revision';
/**
 * Since 2026-12: a completion may name a command id longer than 256 characters, as the engine's own
 * escalation ids are (workflows/src/signal-guard.ts MAX_COMMAND_ID). Asked only for such a completion,
 * so a history that refused one replays refusing it.
 */
export const LONG_COMMAND_IDS_PATCH = 'long-command-ids';
