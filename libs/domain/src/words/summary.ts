import type { Finding } from '../rules/scoring';
import type { Reason, TaskType } from '../tasks/vocabulary';
import { isTaskType } from '../tasks/vocabulary';
import { ITEM_LABELS, TASK_LABELS } from './labels';

const TRIGGER_WORDS: Record<Finding['trigger'], string> = {
  'severe-physical': 'severe',
  'severe-emotional': 'severe',
  moderate: 'moderate',
  worsening: 'worse',
  distress: 'at or above the threshold',
};

/** "30 Nov" (the site's locale is English; the date is the day the task was opened). */
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * A task in one line a clinician reads at a glance: what to do and, where the evidence says, why —
 * "Symptom review — pain 8/10, severe, reported 30 Nov". The rule id and the evidence stay on the task.
 */
export function taskSummary(t: { type: string; reason: Reason; createdAt: string }): string {
  const what = isTaskType(t.type) ? TASK_LABELS[t.type] : t.type;
  const scores = findingWords(t.reason.evidence);
  if (scores) return `${what} — ${scores}, reported ${day(t.createdAt)}`;
  const overdue = t.type === ('escalation' satisfies TaskType) ? t.reason.evidence.type : undefined;
  if (typeof overdue === 'string') return `${what} — ${(isTaskType(overdue) ? TASK_LABELS[overdue] : overdue).toLowerCase()}`;
  return what;
}

/** The scores behind a symptom or psychosocial task, highest first. */
function findingWords(evidence: Record<string, unknown>): string | undefined {
  const found = [...asFindings(evidence.findings), ...asUpdates(evidence.updates)];
  if (found.length > 0) {
    // One mention per item: its highest score.
    const byItem = new Map<string, Finding>();
    for (const f of found) if ((byItem.get(f.item)?.score ?? -1) < f.score) byItem.set(f.item, f);
    return [...byItem.values()]
      .sort((a, b) => b.score - a.score)
      .map((f) => {
        const item = f.item === 'distress' ? 'Distress Thermometer' : ((ITEM_LABELS as Record<string, string>)[f.item] ?? f.item).toLowerCase();
        const how = f.trigger === 'worsening' && f.previous !== undefined ? `worse from ${f.previous}` : TRIGGER_WORDS[f.trigger];
        return `${item} ${f.score}/10, ${how}`;
      })
      .join('; ');
  }
  return undefined;
}

function asFindings(x: unknown): Finding[] {
  return Array.isArray(x)
    ? x.filter((f): f is Finding => typeof f === 'object' && f !== null && typeof (f as Finding).item === 'string' && typeof (f as Finding).score === 'number')
    : [];
}

function asUpdates(x: unknown): Finding[] {
  return Array.isArray(x) ? x.flatMap((u) => asFindings((u as { findings?: unknown } | null)?.findings)) : [];
}
