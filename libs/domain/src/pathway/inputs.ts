import type { ClinicalEvent } from '../events/envelope';
import type { Priority, Reason, TaskType } from '../tasks/vocabulary';

/** What the workflow feeds the rules: clinical events and task completions (timers come with issue 3). */
export type PathwayInput =
  { kind: 'event'; event: ClinicalEvent; at: string } | { kind: 'task.completed'; commandId: string; outcome: string; completedAt: string; at: string };

/** What the rules ask the workflow to do. Every command that touches the world carries its reason. */
export type PathwayCommand = {
  kind: 'open-task';
  commandId: string;
  task: { type: TaskType; priority: Priority; dueAt: string; reason: Reason };
};
