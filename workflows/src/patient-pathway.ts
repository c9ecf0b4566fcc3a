import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PathwayCommand, PathwayInput } from '@tandem/domain';
import { applyCommands, decide, evolve, initialState } from '@tandem/domain';
import { BoundedIdSet } from './bounded-set';
import type { PathwayActivities, PathwayWorkflowInput } from './contract';
import { clinicalEventSignal, pathwayStateQuery, taskCompletedSignal } from './contract';

/** Enough to absorb redelivery bursts and consumer-group resets, small enough to carry over. */
const DEDUPE_CAPACITY = 2_000;
/** Continue-as-new before history grows large even if the server has not suggested it yet. */
const INPUT_BUDGET_PER_RUN = 500;

const { openTask } = proxyActivities<PathwayActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * The durable interpreter of one patient's pathway: it is the single writer of that patient's
 * state. Signals only enqueue; the main loop evolves the state, asks the pure rules engine
 * (libs/domain) for commands, and carries them out in order.
 */
export async function patientPathway(input: PathwayWorkflowInput): Promise<void> {
  let state = input.carried?.state ?? initialState(input.patientId);
  const seen = new BoundedIdSet(input.carried?.seenEventIds ?? [], DEDUPE_CAPACITY);
  const taskIds: Record<string, string> = {};
  const inbox: PathwayInput[] = [];
  let handledThisRun = 0;

  setHandler(clinicalEventSignal, (event) => {
    if (seen.has(event.id)) return; // invariant 3: the same event twice has the effect of one
    seen.add(event.id);
    inbox.push({ kind: 'event', event, at: new Date().toISOString() });
  });
  setHandler(taskCompletedSignal, (c) => {
    inbox.push({ kind: 'task.completed', commandId: c.commandId, outcome: c.outcome, completedAt: c.completedAt, at: new Date().toISOString() });
  });
  setHandler(pathwayStateQuery, () => ({ state, eventsSeen: seen.size, taskIds }));

  const execute = async (command: PathwayCommand): Promise<void> => {
    switch (command.kind) {
      case 'open-task': {
        const { taskId } = await openTask({ patientId: input.patientId, commandId: command.commandId, ...command.task });
        taskIds[command.commandId] = taskId;
        return;
      }
      default:
        return command.kind satisfies never;
    }
  };

  for (;;) {
    await condition(() => inbox.length > 0 || workflowInfo().continueAsNewSuggested || handledThisRun >= INPUT_BUDGET_PER_RUN);
    while (inbox.length > 0) {
      const next = inbox.shift()!;
      const commands = decide(state, next, input.policy);
      state = applyCommands(evolve(state, next), commands);
      for (const command of commands) await execute(command);
      handledThisRun++;
    }
    if (workflowInfo().continueAsNewSuggested || handledThisRun >= INPUT_BUDGET_PER_RUN) {
      await condition(allHandlersFinished);
      if (inbox.length === 0) {
        await continueAsNew<typeof patientPathway>({ ...input, carried: { state, seenEventIds: seen.toArray() } });
      }
    }
  }
}
