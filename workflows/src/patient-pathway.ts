import { ApplicationFailure, allHandlersFinished, log, condition, continueAsNew, patched, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { PathwayInput } from '@tandem/domain';
import { dutiesOver, inForce, initialState, LEGACY_RULES_REVISION, revisionOf, RULES_REVISION, step, upgradePolicy } from '@tandem/domain/workflow-api';
import { BoundedIdSet, DEDUPE_CAPACITY, DEDUPE_MAX_CHARS, eventKey } from './bounded-set';
import { earliestDue, HISTORY_PATCH, isHistory } from './catch-up';
import type { CarryOutRequest, PathwayProblem, PathwayView, PathwayWorkflowInput } from './contract';
import { clinicalEventSignal, historyLoadedSignal, pathwayQuery, pathwayStateQuery, taskCompletedSignal } from './contract';
import { carryOut, endedPathway, permanentFailure, recordPathwayEnd, vetEvents } from './pathway-activities';
import {
  ADOPT_END_PATCH,
  CURRENT_REVISION_PATCH,
  EVENT_IDENTITY_PATCH,
  HISTORY_BUDGET_PER_RUN,
  LONG_COMMAND_IDS_PATCH,
  MAX_PROBLEMS,
  PATHWAY_ENDS_PATCH,
  REVISIONS,
  STAGE_EVENTS_PATCH,
  VET_EVENTS_PATCH,
} from './pathway-markers';
import { dueTimers, nextFireAt } from './pathway-timers';
import { nextTimers, projectPathway } from './projection';
import {
  guardClinicalEvent,
  guardTaskCompletion,
  MAX_COMMAND_ID,
  MAX_COMMAND_ID_BEFORE,
  namesLongCommandId,
  outcomeRefusal,
  refusalProblem,
  refusedPayload,
} from './signal-guard';
import type { SignalRefusal } from './signal-guard';

/**
 * The durable interpreter of one patient's pathway, and the single writer of its state. Signals
 * only enqueue; the loop feeds events, completions and due timers to the pure rules engine
 * (libs/domain `step`) and carries out its commands. Timers live in the pathway state: the loop
 * sleeps until the earliest, so one Temporal timer is pending at a time whatever the state holds.
 */
export async function patientPathway(input: PathwayWorkflowInput): Promise<void> {
  // An input the codec refused (not encrypted, or forged): the run fails, and the next genuine event starts a fresh one.
  const refusedInput = refusedPayload(input);
  if (refusedInput) throw ApplicationFailure.nonRetryable(`workflow input refused (payload ${refusedInput})`, 'RefusedInput');
  const policy = upgradePolicy(input.policy);
  /** A history is stepped in clinical time, never compressed: its steps take the policy's durations unscaled (catch-up.ts). */
  const onHistoryClock = { ...policy, timeScale: 1 };
  // A run started without a carry-over takes up the pathway's end if it ended before (ADR 0017): a
  // run past Temporal's retention, or after a failed one, must not start afresh knowing nothing.
  const carried = input.carried ?? (patched(ADOPT_END_PATCH) ? ((await endedPathway({ patientId: input.patientId })) ?? undefined) : undefined);
  // A new pathway starts at the current rules revision (behind the patch, so a history that began at
  // revision 3 and climbed through the revision markers replays as it ran): no new history runs the
  // older revisions' code, which can then be retired (docs/rule-revisions.md).
  let state = carried?.state ?? initialState(input.patientId, patched(CURRENT_REVISION_PATCH) ? RULES_REVISION : LEGACY_RULES_REVISION);
  /**
   * The de-duplication window (invariant 3), by (source, id). Runs recorded before the identity
   * patch, and every run started from one of them, carry plain ids (`seenEventIds`): those stay in
   * `seenIds`, which gets no new ids once the patch is in, and an event whose id is there was seen
   * by a run that could not tell sources apart, so it is taken for the duplicate it was taken for
   * then. That compatibility forgets itself: the window of plain ids ages out like any other.
   */
  const seen = new BoundedIdSet(carried?.seenEvents ?? [], DEDUPE_CAPACITY, DEDUPE_MAX_CHARS);
  const seenIds = new BoundedIdSet(carried?.seenEventIds ?? [], DEDUPE_CAPACITY, DEDUPE_MAX_CHARS);
  const problems: PathwayProblem[] = [...(carried?.problems ?? [])];
  /**
   * Catching up with a history (catch-up.ts): the clinical time the pathway has reached, while it
   * steps a loaded past on that past's clock; undefined when it runs in the present. Only a new
   * pathway (no carry-over, nothing taken in yet) starts to catch up.
   */
  let historyAt = carried?.historyAt === undefined ? undefined : Date.parse(carried.historyAt);
  let takenAny = carried !== undefined;
  let historyLoaded = false;
  const carryOver = () => ({
    state,
    seenEventIds: seenIds.toArray(),
    seenEvents: seen.toArray(),
    problems,
    ...(historyAt === undefined ? {} : { historyAt: new Date(historyAt).toISOString() }),
  });
  const upgrade = () => {
    for (const revision of REVISIONS) if (revisionOf(state) < revision && patched(`rules-revision-${revision}`)) state = { ...state, revision };
  };
  /**
   * A step's writes that cannot succeed however often they are tried (bad data, a broken constraint:
   * the activity says non-retryable) are not retried for ever, blocking the patient's other work:
   * the failure is logged (no PHI: ids and the error's class), shown on the pathway view, and the
   * pathway goes on. Other failures are retried by the activity's policy as before.
   */
  const carryOutOrReport = async (request: CarryOutRequest) => {
    try {
      await carryOut(request);
    } catch (e) {
      const cause = permanentFailure(e);
      if (!cause) throw e;
      const problem: PathwayProblem = { at: new Date().toISOString(), stepKey: request.stepKey, type: cause.type ?? 'error', message: cause.message };
      log.error('pathway step could not be carried out', { stepKey: problem.stepKey, type: problem.type });
      problems.push(problem);
      problems.splice(0, Math.max(0, problems.length - MAX_PROBLEMS));
    }
  };
  /** A signal the pathway will not take in (signal-guard.ts): a problem on the view and a log line (ids only), never applied. */
  const refuse = (signal: string, refusal: SignalRefusal) => {
    log.warn('pathway signal refused', { signal, reason: refusal.reason });
    problems.push(refusalProblem(signal, refusal, new Date().toISOString()));
    problems.splice(0, Math.max(0, problems.length - MAX_PROBLEMS));
  };
  const inbox: PathwayInput[] = [];

  setHandler(clinicalEventSignal, (signalled) => {
    // Checked first, before the de-duplication window sees it (Temporal is a trust boundary: docs/security.md).
    const guarded = guardClinicalEvent(signalled, input.patientId);
    if (!guarded.ok) return refuse('clinicalEvent', guarded);
    const event = guarded.event;
    // invariant 3: the same event twice has the effect of one; an event is (source, id).
    if (seenIds.has(event.id)) return;
    if (patched(EVENT_IDENTITY_PATCH)) {
      if (seen.has(eventKey(event))) return;
      seen.add(eventKey(event));
      // The plain ids of older runs age out as new events come: both windows together hold at most DEDUPE_CAPACITY.
      while (seenIds.size > 0 && seen.size + seenIds.size > DEDUPE_CAPACITY) seenIds.evictOldest();
    } else seenIds.add(event.id);
    inbox.push({ kind: 'event', event, at: new Date().toISOString() });
  });
  setHandler(taskCompletedSignal, (signalled) => {
    const guarded = guardTaskCompletion(signalled, namesLongCommandId(signalled) && patched(LONG_COMMAND_IDS_PATCH) ? MAX_COMMAND_ID : MAX_COMMAND_ID_BEFORE);
    if (!guarded.ok) return refuse('taskCompleted', guarded);
    const c = guarded.completion;
    inbox.push({ kind: 'task.completed', commandId: c.commandId, outcome: c.outcome, completedAt: c.completedAt, at: new Date().toISOString() });
  });
  setHandler(historyLoadedSignal, () => {
    historyLoaded = true;
  });
  setHandler(pathwayStateQuery, (): PathwayView => ({ state, eventsSeen: seen.size + seenIds.size, problems, nextTimers: nextTimers(state) }));
  setHandler(pathwayQuery, () =>
    projectPathway(state, {
      eventsSeen: seen.size + seenIds.size,
      problems,
      ...(historyAt === undefined ? {} : { catchingUpAt: new Date(historyAt).toISOString() }),
    }),
  );

  const budgetSpent = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= HISTORY_BUDGET_PER_RUN;

  // One alarm for the earliest pathway timer. Alarms are never cancelled: a stale one only wakes the
  // loop early. (Cancelling a timer that fires in the same workflow task as a signal trips the Java
  // time-skipping test server; never cancelling also keeps the history simpler.)
  let alarm: { at: number; rang: Promise<void> } | undefined;
  let alarmRang = false;
  // The pathway's clock never goes back, and an alarm that rang means its time has come: due timers
  // are judged against this, not against the raw task timestamp, so that a clock reading a few
  // milliseconds short of the alarm's time cannot change what the workflow does on replay.
  let clock = Date.now();
  /** The pathway's end was refused for good: not tried again until an input has been taken in. */
  let endRefused = false;

  /** Steps one input and carries out its writes; a step on a history's clock says so, with its time (its notifications are that old). */
  const take = async (next: PathwayInput) => {
    // A timer may have been cancelled by an input handled before it in this batch.
    if (next.kind === 'timer' && !state.timers[next.timerId]) return;
    upgrade();
    const result = step(state, next, historyAt === undefined ? policy : onHistoryClock);
    const stage = state.stage === result.state.stage ? undefined : { from: state.stage, to: result.state.stage };
    state = result.state;
    // Timers are the workflow's own: the activity gets only the writes (a smaller payload, every step).
    const writes = result.commands.filter((c) => c.kind !== 'schedule-timer' && c.kind !== 'cancel-timer');
    const hasWrites = writes.length > 0;
    // A stage change alone became a step worth carrying out (its pathway event) after v1 histories
    // were recorded: patched() keeps those histories replaying as they ran.
    if (hasWrites || (stage !== undefined && patched(STAGE_EVENTS_PATCH))) {
      const sourceEventId = next.kind === 'event' ? next.event.id : undefined;
      const sourceEventSource = next.kind === 'event' ? next.event.source : undefined;
      const first = result.commands[0];
      const stepKey = first ? ('commandId' in first ? first.commandId : first.timerId) : undefined;
      const historic = historyAt === undefined ? {} : { at: next.at };
      await carryOutOrReport({ patientId: input.patientId, commands: writes, sourceEventId, sourceEventSource, stage, stepKey, ...historic });
    }
    // A parked event may come back by `dlq:replay`: it must not be taken for a duplicate then.
    for (const c of result.commands)
      if (c.kind === 'park-event') {
        seen.delete(eventKey(c.event));
        seenIds.delete(c.event.id);
      }
    lastAt = Date.parse(next.at);
  };
  /** The step times of a pathway catching up never go back. */
  let lastAt = historyAt ?? -Infinity;
  /** Fires the timers due by `until`, earliest first, each at its own time (catch-up.ts). */
  const fireDue = async (until: number, present: boolean) => {
    for (let t = earliestDue(state, until, lastAt, present); t; t = earliestDue(state, until, lastAt, present)) await take(t);
  };
  /** The history is over: what fell due since its last event fires in order, the escalation ladders that waited with it, and the pathway runs on the workflow's clock. */
  const toPresent = async () => {
    clock = Math.max(clock, Date.now());
    await fireDue(clock, true);
    historyAt = undefined;
  };

  // 'closure-stays' (rules revision 4): a closed pathway stays, remembering why it closed and what it
  // saw (2.10a); before, the workflow ended and the next event started a fresh run that knew nothing.
  while (state.stage !== 'closed' || inForce(state, 'closure-stays')) {
    // Its duties all over (closed, nothing open, no timer), the pathway ends: what it carries is kept
    // in PostgreSQL, and a late event the rules act on starts a run from it (the kafka-bridge; ADR 0017).
    if (inbox.length === 0 && !historyLoaded && !endRefused && dutiesOver(state) && patched(PATHWAY_ENDS_PATCH)) {
      try {
        await recordPathwayEnd({
          patientId: input.patientId,
          reason: state.closure?.reason ?? 'closed',
          closedAt: state.closure?.at ?? new Date(clock).toISOString(),
          sequence: workflowInfo().historyLength,
          // An ended pathway is past catching up: a later event, history or not, is a late event (ADR 0019).
          carried: { ...carryOver(), historyAt: undefined },
        });
        await condition(allHandlersFinished);
        // A signal that came meanwhile is taken in: the pathway goes on, and ends again when its duties are over.
        if (inbox.length === 0 && !historyLoaded) return;
      } catch (e) {
        // Refused for good (PostgreSQL will not store it): the run stays open, says so, and tries again after its next input.
        const cause = permanentFailure(e);
        if (!cause) throw e;
        log.error('pathway end could not be recorded', { type: cause.type ?? 'error' });
        problems.push({ at: new Date().toISOString(), type: cause.type ?? 'error', message: cause.message });
        problems.splice(0, Math.max(0, problems.length - MAX_PROBLEMS));
        endRefused = true;
      }
    }
    clock = Math.max(clock, Date.now());
    // Catching up, the pathway's timers wait for the history's clock: no alarm on the workflow's.
    const next = historyAt === undefined ? nextFireAt(state) : undefined;
    if (next !== undefined && next > clock && (alarm === undefined || next < alarm.at)) {
      const at = next;
      alarm = {
        at,
        rang: sleep(at - clock).then(() => {
          if (alarm?.at === at) alarmRang = true;
        }),
      };
    }
    if (inbox.length === 0 && !historyLoaded && !budgetSpent() && !(next !== undefined && next <= clock)) {
      await condition(() => inbox.length > 0 || historyLoaded || budgetSpent() || alarmRang);
    }
    if (alarmRang && alarm) {
      clock = Math.max(clock, alarm.at);
      alarmRang = false;
      alarm = undefined;
    }
    clock = Math.max(clock, Date.now());
    const inputs = [...inbox.splice(0), ...(historyAt === undefined ? dueTimers(state, clock) : [])];
    // Every event is vetted against the domain's own schema before it is stepped (signal-guard.ts).
    const events = inputs.flatMap((i) => (i.kind === 'event' ? [i] : []));
    const verdicts = new Map<PathwayInput, NonNullable<Awaited<ReturnType<typeof vetEvents>>[number]>>();
    if (events.length > 0 && patched(VET_EVENTS_PATCH)) {
      const found = await vetEvents({ events: events.map((e) => e.event) });
      events.forEach((e, i) => {
        const verdict = found[i];
        if (verdict) verdicts.set(e, verdict);
      });
    }
    for (const next of inputs) {
      const verdict = verdicts.get(next);
      if (verdict && next.kind === 'event') {
        refuse('clinicalEvent', { reason: verdict.reason, detail: verdict.fields });
        // A refused event leaves no trace in the window: a genuine event with its identity is not a duplicate of it.
        seen.delete(eventKey(next.event));
        seenIds.delete(next.event.id);
        continue;
      }
      const badOutcome = next.kind === 'task.completed' ? outcomeRefusal(state, next.commandId, next.outcome) : undefined;
      if (badOutcome) {
        refuse('taskCompleted', badOutcome);
        continue;
      }
      if (next.kind === 'event' && isHistory(next.event) && (historyAt !== undefined || !takenAny) && patched(HISTORY_PATCH)) {
        // A history's event, at its clinical time (never before the history's last): what fell due before it first.
        const at = Math.max(historyAt ?? -Infinity, Date.parse(next.event.time));
        historyAt = at;
        await fireDue(at, false);
        await take({ ...next, at: new Date(at).toISOString() });
      } else {
        // A live event brings a pathway that was catching up into the present; a completion meanwhile is taken on the history's clock.
        if (historyAt !== undefined && next.kind === 'event') await toPresent();
        await take(historyAt === undefined ? next : { ...next, at: new Date(historyAt).toISOString() });
      }
      takenAny = true;
    }
    if (historyLoaded) {
      historyLoaded = false;
      if (historyAt !== undefined) await toPresent();
    }
    if (inputs.length > 0) endRefused = false;
    if (budgetSpent() && inbox.length === 0) {
      await condition(allHandlersFinished);
      if (inbox.length === 0 && !historyLoaded) {
        await continueAsNew<typeof patientPathway>({ ...input, carried: carryOver() });
      }
    }
  }
  // Revision 3 only: closed (bereavement finished, withdrawal or transfer): let in-flight handlers finish, then end.
  await condition(allHandlersFinished);
}
