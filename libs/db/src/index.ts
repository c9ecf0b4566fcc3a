export { assertMigrated, migrate } from './migrate';
export type { MigrationResult } from './migrate';
export { createPool } from './pool';
export { decodeCursor, getTask, InvalidCursorError, listTasks, taskCounts, TASK_CURSOR_PATTERN, taskIdsByCommand } from './tasks';
export type { TaskFilter, TaskRecord } from './tasks';
export { CARE_ROLES, claimTask, completeTask, isKnownStaff, reassignTask, unclaimTask } from './task-actions';
export type { ClaimResult, CompleteResult } from './task-actions';
export { patientTimeline } from './timeline';
export type { TimelineEntry } from './timeline';
export { recordStepFailure, stepFailureCounts, writeCommands } from './pathway-writes';
export { writeAudit } from './audit';
export type { AuditEntry } from './audit';
export { leadership, leadershipLockKey } from './leadership';
export type { Leadership, LeadershipOptions } from './leadership';
export {
  conflictingEvents,
  eventToTaskSeconds,
  markDlqReplayed,
  markSent,
  outboxBacklog,
  pruneOutbox,
  recordEvents,
  replayedDlqOffsets,
  unsentOutbox,
} from './events';
export type { OutboxRow } from './events';
export { refreshDirtyMeasures, refreshPatients } from './measures/refresh';
export { cohortTallies, cohortTrend, decodeDrillCursor, drillDown, liveTallies } from './measures/query';
export type { DrillDownItem, MeasureQuery } from './measures/query';
export { measuresReport } from './measures/report';
export type { ReportRequest, StreamFigures } from './measures/report';
export { digestMeasures, digestsOfWeek, getDigest, listDigests, storeDigest } from './measures/digest';
export type { Digest, DigestMeasure, DigestSummary } from './measures/digest';
export { createPromLinks, promLinkTokens } from './prom-links';
export type { PromLinkClaims, PromLinks, PromLinkTokens } from './prom-links';
export { claimPromLink, promLinkIssued, promLinkState, promTokenHash, releasePromLink, revokePromLink } from './prom-link-state';
export type { PromLinkState } from './prom-link-state';
export { caregiverContact, keyWorkerOf, patientContact, patientStanding, promResponses } from './patient-standing';
export type { Contact, PatientStanding } from './patient-standing';
export { dropNotification, leaseDueDeliveries, markDelivered, markFailed, postponeDelivery, recordNotification, retryParked } from './notifications';
export type { DueDelivery, PlannedDelivery } from './notifications';
export { listNotifications } from './notification-views';
export type { DeliveryStatus, NotificationFilter, NotificationView } from './notification-views';
export { isDatabaseUnavailable } from './unavailable';
export { enableDevServiceLogins } from './service-roles';
export { birthDates } from './provenance';
export { promRequestIds } from './prom-requests';
export { pathwayEndOf, recordPathwayEnd, rememberAfterEnd } from './pathway-end';
export type { PathwayEnd } from './pathway-end';
export { pruneRateLimitCounters, RATE_LIMIT_KEY_MAX, rateLimitCounters } from './rate-limits';
export type { RateLimitCount, RateLimitCounters } from './rate-limits';
