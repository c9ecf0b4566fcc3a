import type { RuleId } from '../rules/catalogue';
import type { Finding } from '../rules/scoring';
import type { Priority } from '../tasks/vocabulary';
import { memoryFromEvidence } from '../revisions/before-typed-memory/memory';

/** A finding or rule that joined an open task after it was opened (a symptom review gathers them). */
export interface Joined {
  rule: RuleId;
  at: string;
  eventIds?: string[];
  findings?: Finding[];
}

/**
 * What the rules remember of a task, in typed fields: evidence explains a task to people (and
 * PostgreSQL keeps it whole), memory is what later decisions read. Each field is set by the rule that
 * opens or joins the task and read by the rules that decide on it later.
 */
export interface TaskMemory {
  /** The PROM request a `prom-not-returned` task is about (2.2). */
  requestId?: string;
  /** The priority the referral criteria asked for, carried from a proposal to its triage (2.3). */
  referralPriority?: Priority;
  /** The events and findings that opened the task (symptom reviews, psychosocial assessments). */
  eventIds?: string[];
  findings?: Finding[];
  /** What joined it since, oldest first (bounded like the evidence's updates: compact.ts). */
  joined?: Joined[];
}

/**
 * A task's memory. Tasks opened before memory was typed (2026-12-07) carry none: theirs is read from
 * their evidence, as the rules read it then (../revisions/before-typed-memory), so a running pathway
 * and every committed history decide as they did.
 */
export const memoryOf = (t: { memory?: TaskMemory; reason: { evidence: Record<string, unknown> } }): TaskMemory => t.memory ?? memoryFromEvidence(t.reason.evidence);

/** The findings a task was opened with and those that joined it since. */
export const allFindings = (m: TaskMemory): Finding[] => [...(m.findings ?? []), ...(m.joined ?? []).flatMap((j) => j.findings ?? [])];
