import type { PathwayPolicy } from '../policy/policy';

/**
 * PROM instruments and their scoring (docs/clinical-rules.md 2.2). Adding an instrument (IPOS, caregiver strain,
 * grief) is a new entry here plus its `prom.submitted` schema: the triggers read these lists.
 */
export const INSTRUMENTS = {
  'ESAS-r': {
    physical: ['pain', 'tiredness', 'drowsiness', 'nausea', 'appetite', 'breathlessness'],
    emotional: ['depression', 'anxiety'],
    /** Scored and charted; triggers as a moderate item, never a referral criterion on its own. */
    other: ['wellbeing'],
  },
  DT: { physical: [], emotional: [], other: [], distress: ['distress'] },
} as const;

export type Trigger = 'severe-physical' | 'severe-emotional' | 'worsening' | 'moderate' | 'distress';

export interface Finding {
  item: string;
  score: number;
  previous?: number;
  trigger: Trigger;
}

const PHYSICAL = new Set<string>(INSTRUMENTS['ESAS-r'].physical);
const EMOTIONAL = new Set<string>(INSTRUMENTS['ESAS-r'].emotional);

export type Band = 'none' | 'mild' | 'moderate' | 'severe';

export function band(score: number, p: PathwayPolicy['proms']): Band {
  if (score >= p.severeAtLeast) return 'severe';
  if (score >= p.moderateAtLeast) return 'moderate';
  return score > 0 ? 'mild' : 'none';
}

/** Every trigger the scores of one response fire, compared with the previous response's scores. */
export function findings(scores: Record<string, number | undefined>, previous: Record<string, number | undefined>, p: PathwayPolicy['proms']): Finding[] {
  const out: Finding[] = [];
  for (const [item, score] of Object.entries(scores)) {
    if (score === undefined) continue;
    const prev = previous[item];
    const base = { item, score, ...(prev !== undefined ? { previous: prev } : {}) };
    if (item === 'distress') {
      if (score >= p.distressAtLeast) out.push({ ...base, trigger: 'distress' });
      continue;
    }
    const b = band(score, p);
    if (b === 'severe' && PHYSICAL.has(item)) out.push({ ...base, trigger: 'severe-physical' });
    else if (b === 'severe' && EMOTIONAL.has(item)) out.push({ ...base, trigger: 'severe-emotional' });
    else if (b === 'severe' || b === 'moderate') out.push({ ...base, trigger: 'moderate' });
    // "Worse" means a higher score on every ESAS-r item, wellbeing included (0 = best).
    if (prev !== undefined && score - prev >= p.worseningBy) out.push({ ...base, trigger: 'worsening' });
  }
  return out;
}

export const isSevere = (f: Finding) => f.trigger === 'severe-physical' || f.trigger === 'severe-emotional';
