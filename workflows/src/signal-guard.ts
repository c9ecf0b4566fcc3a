import type { ClinicalEvent, PathwayState } from '@tandem/domain';
import { allowedOutcomes } from '@tandem/domain/workflow-api';
import type { PathwayProblem, TaskCompletion } from './contract';

/**
 * Temporal is a trust boundary (docs/security.md): whoever can reach the server can signal a
 * pathway. What a signal carries is checked here before the pathway takes it in, and a refusal is a
 * problem on the pathway view (never a cast, never applied); the pathway goes on. The full schema
 * check of an event (the domain's own parseClinicalEvent, with zod) runs outside the sandbox, in the
 * `vetEvents` local activity, to keep zod out of the workflow bundle (docs/benchmarks.md); here are
 * the cheap, structural checks a signal handler can make at once.
 */

/**
 * What the payload codec decodes a refused payload to (libs/temporal/src/codec.ts REFUSED_PAYLOAD_KEY;
 * the sandbox cannot import that module, a workflow test checks the two agree): a payload that was not
 * encrypted (a client without the codec) or that does not authenticate (forged, moved from another workflow).
 */
export const REFUSED_PAYLOAD_KEY = 'tandem:refused-payload';

/** Longest id, source, outcome or time a signal may carry (the event schema's own bounds are lower). */
const MAX_FIELD = 256;
/**
 * Longest task command id a completion may name: the engine's own ids are longer than a field. A
 * task's id holds the rule, what it answered (an event id of up to 128 characters, a timer id with
 * its due time) and a part; an escalation's holds the escalated task's id twice (its overdue timer
 * and its subject), so about 2 × 310 + 100 at most. Ids of 305 and 393 characters were seen in a
 * simulated year, and their completions were refused as "not a task completion".
 */
export const MAX_COMMAND_ID = 1_024;

/** Whether a completion names a command id longer than a field: only those need the longer bound (and its patch). */
export const namesLongCommandId = (value: unknown): boolean =>
  isRecord(value) && typeof value.commandId === 'string' && value.commandId.length > MAX_FIELD && value.commandId.length <= MAX_COMMAND_ID;

/** The bound before the longer one (a history that refused a long id replays refusing it). */
export const MAX_COMMAND_ID_BEFORE = MAX_FIELD;

export type SignalRefusal = { reason: string; detail?: string };

/** The codec's refusal reason, if this signal argument is a refused payload's marker. */
export function refusedPayload(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, REFUSED_PAYLOAD_KEY)) return undefined;
  const reason = (value as Record<string, unknown>)[REFUSED_PAYLOAD_KEY];
  return typeof reason === 'string' && reason.length <= 32 ? reason : 'refused';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isField = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_FIELD;

/** A clinicalEvent signal's argument: a refusal, or an event for this patient to vet in full. */
export function guardClinicalEvent(value: unknown, patientId: string): { ok: true; event: ClinicalEvent } | ({ ok: false } & SignalRefusal) {
  const refused = refusedPayload(value);
  if (refused) return { ok: false, reason: `payload-${refused}` };
  if (!isRecord(value) || !isField(value.id) || !isField(value.source) || !isField(value.type) || !isRecord(value.data))
    return { ok: false, reason: 'invalid-envelope', detail: 'not a clinical event' };
  // A payload moved from another patient's pathway, or an event sent to the wrong one.
  if (value.subject !== patientId) return { ok: false, reason: 'wrong-patient', detail: 'subject is not this pathway’s patient' };
  return { ok: true, event: value as ClinicalEvent };
}

/** A taskCompleted signal's argument: a refusal, or a well-formed completion (its outcome is checked when it is stepped). */
export function guardTaskCompletion(value: unknown, maxCommandId = MAX_COMMAND_ID): { ok: true; completion: TaskCompletion } | ({ ok: false } & SignalRefusal) {
  const refused = refusedPayload(value);
  if (refused) return { ok: false, reason: `payload-${refused}` };
  const isCommandId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= maxCommandId;
  if (!isRecord(value) || !isField(value.taskId) || !isCommandId(value.commandId) || !isField(value.outcome) || !isField(value.completedAt))
    return { ok: false, reason: 'invalid-completion', detail: 'not a task completion' };
  if (Number.isNaN(Date.parse(value.completedAt))) return { ok: false, reason: 'invalid-completion', detail: 'completedAt is not a time' };
  return { ok: true, completion: value as unknown as TaskCompletion };
}

/**
 * A completion's outcome against its task type's allowed outcomes (libs/domain/src/tasks/vocabulary.ts),
 * judged against the state it is stepped with. A task this pathway no longer knows is left to the
 * rules (they ignore a completion of a task that is not open).
 */
export function outcomeRefusal(state: PathwayState, commandId: string, outcome: string): SignalRefusal | undefined {
  const task = state.tasks[commandId];
  if (!task || allowedOutcomes(task.type).includes(outcome)) return undefined;
  return { reason: 'invalid-outcome', detail: `${task.type} allows ${allowedOutcomes(task.type).join(', ')}` };
}

/** The problem a refused signal leaves on the pathway view: the signal, the reason, ids and field paths only. */
export function refusalProblem(signal: string, refusal: SignalRefusal, at: string): PathwayProblem {
  const detail = refusal.detail ? `: ${refusal.detail}` : '';
  return { at, type: 'refused-signal', message: `${signal} signal refused (${refusal.reason})${detail}`.slice(0, 300) };
}
