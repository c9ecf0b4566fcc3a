import type { TaskMemory } from '../../pathway/memory';

/**
 * Frozen: how the rules read what they remembered of a task before memory was typed (2026-12-07),
 * from the task's evidence. Tasks opened since carry `memory`; this reads the ones opened before, in
 * running pathways and in the committed histories (workflows/test/histories), and goes once none is
 * left (docs/rule-revisions.md, retiring).
 */
export function memoryFromEvidence(ev: Record<string, unknown>): TaskMemory {
  return {
    ...(typeof ev.requestId === 'string' ? { requestId: ev.requestId } : {}),
    ...(typeof ev.referralPriority === 'string' ? { referralPriority: ev.referralPriority as TaskMemory['referralPriority'] } : {}),
    ...(Array.isArray(ev.eventIds) ? { eventIds: ev.eventIds as string[] } : {}),
    ...(Array.isArray(ev.findings) ? { findings: ev.findings as NonNullable<TaskMemory['findings']> } : {}),
    ...(Array.isArray(ev.updates) ? { joined: ev.updates as NonNullable<TaskMemory['joined']> } : {}),
  };
}
