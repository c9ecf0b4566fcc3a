export { migrate } from './migrate';
export type { MigrationResult } from './migrate';
export { createPool } from './pool';
export { completeTask, decodeCursor, getTask, InvalidCursorError, listTasks } from './tasks';
export type { CompleteResult, TaskFilter, TaskRecord } from './tasks';
export { writeCommands } from './pathway-writes';
