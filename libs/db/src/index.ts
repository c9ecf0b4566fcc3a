export { migrate } from './migrate';
export type { MigrationResult } from './migrate';
export { createPool } from './pool';
export { completeTask, decodeCursor, getTask, InvalidCursorError, listTasks, openTask } from './tasks';
export type { CompleteResult, OpenTaskInput, TaskFilter, TaskRecord } from './tasks';
export { writeCommands } from './pathway-writes';
