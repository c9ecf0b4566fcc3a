import { ESAS_ITEMS } from '@tandem/domain';
import type { CohortParameters } from './parameters';
import type { Draws } from './random';

export type EsasItem = (typeof ESAS_ITEMS)[number];

/** Where in the illness an answer falls: the symptom burden rises towards death. */
export type Phase = 'early' | 'lastThreeMonths' | 'lastMonth';

/** Standard normal distribution function (Abramowitz–Stegun 7.1.26; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * One patient's ESAS-r items over time. Each item has a standing (a standard normal) that carries
 * over from one answer to the next with the parameters' persistence (an AR(1) process, so its
 * spread stays the same), and the score is where that standing falls among the item's severe,
 * moderate and mild shares for the phase: the cohort's shares stay the parameters' while each
 * person's scores move slowly. The shares rise near death (the last month's factor, half of it in
 * the two months before). A severe item that a clinician reviews falls by a few points in most
 * patients, a relief that fades with the same persistence.
 */
export class SymptomTrajectory {
  private readonly standing = new Map<EsasItem, number>();
  private readonly relief = new Map<EsasItem, number>();

  constructor(
    private readonly p: CohortParameters,
    private readonly d: Draws,
  ) {
    for (const item of ESAS_ITEMS) this.standing.set(item, d.normal());
  }

  /** The next answer's scores, one step on from the last. */
  next(phase: Phase): Record<EsasItem, number> {
    const rho = this.p.symptoms.persistence;
    const factor = phase === 'lastMonth' ? this.p.lastMonthFactor : phase === 'lastThreeMonths' ? (1 + this.p.lastMonthFactor) / 2 : 1;
    const scores = {} as Record<EsasItem, number>;
    for (const item of ESAS_ITEMS) {
      const z = rho * this.standing.get(item)! + Math.sqrt(1 - rho * rho) * this.d.normal();
      this.standing.set(item, z);
      const relief = this.relief.get(item) ?? 0;
      this.relief.set(item, relief * rho);
      scores[item] = Math.max(0, Math.round(this.band(normalCdf(z), this.p.esasSevere[item] * factor) - relief));
    }
    return scores;
  }

  /** A clinician reviewed these scores: most severe items fall by a few points at the next answers. */
  reviewed(scores: Record<EsasItem, number>): void {
    const s = this.p.symptoms;
    for (const item of ESAS_ITEMS)
      if (scores[item] >= 7 && this.d.chance(s.relievedShare)) this.relief.set(item, this.d.between(s.reviewRelief[0], s.reviewRelief[1]));
  }

  /** The score at quantile `u` of an item whose severe share is `severe` (moderate: the parameters' multiple of it). */
  private band(u: number, severe: number): number {
    const s = Math.min(0.9, severe);
    const m = Math.min(1 - s, s * this.p.esasModerateFactor);
    const within = (from: number, to: number, lo: number, hi: number) => lo + Math.min(hi - lo, Math.floor(((u - from) / (to - from)) * (hi - lo + 1)));
    if (u >= 1 - s) return within(1 - s, 1, 7, 10);
    if (u >= 1 - s - m) return within(1 - s - m, 1 - s, 4, 6);
    return within(0, 1 - s - m, 0, 3);
  }
}
