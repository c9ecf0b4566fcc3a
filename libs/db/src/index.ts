export { migrate } from './migrate';
export type { MigrationResult } from './migrate';
export { createPool } from './pool';
export { claimTask, completeTask, decodeCursor, getTask, InvalidCursorError, listTasks, patientTimeline, reassignTask, unclaimTask } from './tasks';
export type { ClaimResult, CompleteResult, TaskFilter, TaskRecord, TimelineEntry } from './tasks';
export { writeCommands } from './pathway-writes';
export { writeAudit } from './audit';
export type { AuditEntry } from './audit';
