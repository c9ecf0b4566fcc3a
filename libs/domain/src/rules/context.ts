import type { ResolvedPolicy, TaskPolicy } from '../policy/policy';
import { durationMs } from '../policy/resolved';
import { applyCommand } from '../pathway/apply';
import type { NotificationSpec, PathwayCommand, PathwayInput } from '../pathway/inputs';
import type { Joined, TaskMemory } from '../pathway/memory';
import { memoryOf } from '../pathway/memory';
import type { Finding } from './scoring';
import type { PathwayState, PathwayTask } from '../pathway/state';
import { openTaskOf } from '../pathway/state';
import type { RevisionChange } from '../revisions/table';
import { changesInForce, inForce } from '../revisions/table';
import type { TimerPurpose } from '../pathway/timers';
import type { Priority, Queue, Reason, TaskType } from '../tasks/vocabulary';
import { TASK_TYPES } from '../tasks/vocabulary';
import type { RuleId } from './catalogue';

export const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, soon: 1, routine: 2 };
export const higher = (a: Priority, b: Priority): Priority => (PRIORITY_RANK[a] <= PRIORITY_RANK[b] ? a : b);

export const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * A stable key for the input that caused a command: command ids are `<rule>#<input key>[:<part>]`.
 * A repeating timer keeps its id from cycle to cycle, so with cycle keys its key also names the
 * cycle (the time it was due): the second day's symptom check is not the first day's (2.10a).
 */
export function inputKey(input: PathwayInput, before?: PathwayState): string {
  switch (input.kind) {
    case 'event':
      return input.event.id;
    case 'timer': {
      const due = before && inForce(before, 'cycle-keys') ? (before.timers[input.timerId]?.fireAt ?? input.at) : undefined;
      return due ? `${input.timerId}@${due}` : input.timerId;
    }
    case 'task.completed':
      // Compaction: a task opened on a completion would otherwise carry the completed task's whole
      // id, and a chain of such tasks ids that grow with every link (compact.ts).
      return `done:${before && inForce(before, 'compaction') ? boundedId(input.commandId) : input.commandId}`;
    default:
      return input satisfies never;
  }
}

/** An id of at most 48 characters: short ones as they are, long ones by a readable head and a hash. */
export function boundedId(id: string): string {
  if (id.length <= 48) return id;
  // Two FNV-1a 32-bit hashes with different offsets: 64 bits, deterministic (workflow code).
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return `${id.slice(0, 30)}~${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}


/**
 * A task's evidence: free-form for the people who read it, with the fields later decisions need
 * typed (they become the task's memory, pathway/memory.ts). An update's evidence is stored as
 * `{ rule, at, ...evidence }`: an evidence's own `rule` or `at` (an escalation names the rule of the
 * task it escalates) takes their place.
 */
export interface Evidence {
  eventIds?: string[];
  findings?: Finding[];
  requestId?: string;
  referralPriority?: Priority;
  updates?: Joined[];
  rule?: RuleId;
  at?: string;
  [key: string]: unknown;
}

/** What a task remembers of the evidence it was opened with. */
function pickMemory(e: Evidence): TaskMemory {
  return {
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    ...(e.referralPriority !== undefined ? { referralPriority: e.referralPriority } : {}),
    ...(e.eventIds !== undefined ? { eventIds: e.eventIds } : {}),
    ...(e.findings !== undefined ? { findings: e.findings } : {}),
    ...(e.updates !== undefined ? { joined: e.updates.map(pickJoined) } : {}),
  };
}

/** What a task remembers of a finding or rule that joined it. */
function pickJoined(j: Joined): Joined {
  return { rule: j.rule, at: j.at, ...(j.eventIds !== undefined ? { eventIds: j.eventIds } : {}), ...(j.findings !== undefined ? { findings: j.findings } : {}) };
}

/**
 * What a rule sees and does: the state as it stands after the input and the commands other rules
 * emitted before it (each emitted command is applied at once), the input, and the policy.
 */
export class Decision {
  readonly commands: PathwayCommand[] = [];
  /** Command ids emitted so far by this decision (with cycle keys every one is distinct). */
  private readonly used = new Set<string>();
  /** The revision changes in force for this pathway (../revisions/table.ts), looked up once. */
  private readonly changes: ReadonlySet<RevisionChange>;

  constructor(
    /** The state before the input (for rules that compare, e.g. "first time", "still severe"). */
    readonly before: PathwayState,
    public state: PathwayState,
    readonly input: PathwayInput,
    readonly resolved: ResolvedPolicy,
  ) {
    this.changes = changesInForce(before);
  }

  get policy() {
    return this.resolved.policy;
  }

  get at(): string {
    return this.input.at;
  }

  /** Whether a change of the rules revisions (../revisions/table.ts) is in force for this pathway. */
  has(change: RevisionChange): boolean {
    return this.changes.has(change);
  }

  ms(iso: string): number {
    return durationMs(this.resolved, iso);
  }

  after(iso: string, from = this.at): string {
    return addMs(from, this.ms(iso));
  }

  /**
   * Workflow time corresponding to a clinical instant: the clinical time elapsed since then, divided
   * by the time scale, before now. With scale 1 it is the clinical instant itself.
   */
  fromClinical(clinical: string): string {
    const lag = Date.parse(this.at) - Date.parse(clinical);
    return addMs(this.at, -lag / this.resolved.timeScale);
  }

  emit(command: PathwayCommand): void {
    const c = this.has('cycle-keys') ? this.distinct(command) : command;
    if ('commandId' in c) this.used.add(c.commandId);
    this.commands.push(c);
    this.state = applyCommand(this.state, c);
  }

  /**
   * Cycle keys: two commands of one step never share an id, and a new task never takes the id of an
   * earlier one — a repeated id would be dropped as a duplicate (here and by the step's writes), and
   * the care it stands for would silently never happen. Ids are deterministic: same step, same ids.
   */
  private distinct(c: PathwayCommand): PathwayCommand {
    if (!('commandId' in c)) return c;
    const taken = (id: string) => this.used.has(id) || (c.kind === 'open-task' && this.state.tasks[id] !== undefined);
    if (!taken(c.commandId)) return c;
    let n = 2;
    while (taken(`${c.commandId}~${n}`)) n++;
    return { ...c, commandId: `${c.commandId}~${n}` };
  }

  id(rule: string, part?: string): string {
    return `${rule}#${inputKey(this.input, this.before)}${part ? `:${part}` : ''}`;
  }

  /**
   * Opens a task unless one of the same type and subject is open (invariant 4); then raises the
   * open one's priority and due time if this finding is more urgent, and adds its evidence.
   */
  openTask(
    rule: RuleId,
    type: TaskType,
    t: TaskPolicy | { due: string; priority: Priority; dueAt?: string },
    evidence: Evidence,
    opts: { subject?: string; queue?: Queue; patientFacing?: boolean; part?: string } = {},
  ): PathwayTask {
    const subject = opts.subject ?? type;
    const dueAt = 'dueAt' in t && t.dueAt ? t.dueAt : this.after(t.due);
    const existing = openTaskOf(this.state, type, subject);
    if (existing) {
      const raise = PRIORITY_RANK[t.priority] < PRIORITY_RANK[existing.priority];
      const earlier = Date.parse(dueAt) < Date.parse(existing.dueAt) && raise;
      const joined: Joined = { rule, at: this.at, ...evidence };
      const memory = memoryOf(existing);
      this.emit({
        kind: 'update-task',
        commandId: this.id(`${rule}/update`, this.has('cycle-keys') ? existing.commandId : opts.part),
        target: existing.commandId,
        priority: raise ? t.priority : existing.priority,
        dueAt: earlier ? dueAt : existing.dueAt,
        reason: { rule, evidence: { updates: [...((existing.reason.evidence.updates as unknown[] | undefined) ?? []), joined] } },
        memory: { ...memory, joined: [...(memory.joined ?? []), pickJoined(joined)] },
      });
      return this.state.tasks[existing.commandId]!;
    }
    // Cycle keys: the id names the task's type and subject, so one rule can open two tasks on one input.
    const reason: Reason = { rule, evidence };
    this.emit({
      kind: 'open-task',
      commandId: this.id(rule, this.has('cycle-keys') ? `${type}/${subject}` : opts.part),
      task: {
        type,
        subject,
        queue: opts.queue ?? TASK_TYPES[type],
        priority: t.priority,
        dueAt,
        openedAt: this.at,
        reason,
        patientFacing: opts.patientFacing ?? false,
        memory: pickMemory(evidence),
      },
    });
    const opened = this.commands[this.commands.length - 1]!;
    return this.state.tasks[(opened as { commandId: string }).commandId]!;
  }

  closeTask(rule: RuleId, target: string, status: 'done' | 'cancelled', why: string): void {
    const t = this.state.tasks[target];
    if (!t || t.status !== 'open') return;
    this.emit({ kind: 'close-task', commandId: this.id(`close`, target), target, status, why, at: this.at, rule });
  }

  notify(rule: RuleId, n: Omit<NotificationSpec, 'reason'>, evidence: Record<string, unknown>, part?: string): void {
    this.emit({ kind: 'notify', commandId: this.id(rule, part), notification: { ...n, reason: { rule, evidence } } });
  }

  fact(rule: RuleId, name: string, value: unknown, at: string, evidence: Record<string, unknown>): void {
    this.emit({ kind: 'record-fact', commandId: this.id(rule, name), fact: { name, value, at, reason: { rule, evidence } } });
  }

  schedule(timerId: string, fireAt: string, purpose: TimerPurpose): void {
    this.emit({ kind: 'schedule-timer', timerId, fireAt, purpose });
  }

  cancelTimer(timerId: string): void {
    if (this.state.timers[timerId]) this.emit({ kind: 'cancel-timer', timerId });
  }

  cancelTimers(match: (purpose: TimerPurpose) => boolean): void {
    for (const [id, t] of Object.entries(this.state.timers)) if (match(t.purpose)) this.cancelTimer(id);
  }
}

export type Rule = (d: Decision) => void;
