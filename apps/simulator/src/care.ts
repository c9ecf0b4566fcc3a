import type { CohortParameters } from './parameters';
import type { Draws } from './random';

export const DAY = 86_400_000;

type Place = keyof CohortParameters['placeOfDeath'];
type PreferredPlace = keyof CohortParameters['preferredPlace'];

/** What the world's palliative care was for one patient, in ms after the cohort's start (clinical time). */
export interface CareTruth {
  /** When specialist palliative care was asked for (undefined: never referred). */
  referredAt?: number;
  /** The first specialist palliative contact (undefined: never seen, or the death came first). */
  specialistContactAt?: number;
  /** Community palliative visits after the first contact, until the death. */
  communityContacts: number[];
  /** Advance care planning documented, with the preferred place of death. */
  acp?: { at: number; preferredPlaceOfDeath: PreferredPlace; codeStatus: 'dnacpr' | 'for-resuscitation'; surrogate: boolean };
  placeOfDeath: Place;
}

const logNormal = (d: Draws, x: { median: number; spread: number }) => x.median * Math.exp(x.spread * d.normal());

/**
 * The care side of one journey (parameters: `specialist`, `acp`, `preferredPlace`): referral early
 * for a few, late in the illness for most of the rest, never for some; the first contact a drawn
 * wait after the referral, unless the death comes first; community visits after it; ACP documented
 * mostly after a specialist contact; the place of death in the ONS shares, and where a preference is
 * recorded, that place for the concordant share (drawn so the places stay the ONS figures).
 */
export function drawCare(p: CohortParameters, d: Draws, diagnosedAt: number, death: number, place: Place): CareTruth {
  const s = p.specialist;
  let referredAt: number | undefined;
  if (d.chance(s.earlyReferral)) referredAt = diagnosedAt + d.between(s.earlyReferralWeeks[0], s.earlyReferralWeeks[1]) * 7 * DAY;
  else if (d.chance(s.lateReferral)) referredAt = Math.max(diagnosedAt + DAY, death - logNormal(d, s.lateReferralDaysBeforeDeath) * DAY);
  const wait = logNormal(d, s.contactDays) * DAY;
  const contact = referredAt === undefined ? undefined : referredAt + wait;
  const specialistContactAt = contact !== undefined && contact < death ? contact : undefined;

  const communityContacts: number[] = [];
  if (specialistContactAt !== undefined)
    for (let at = specialistContactAt; ;) {
      at += (death - at <= 30.44 * DAY ? s.communityEveryDays.lastMonth : s.communityEveryDays.early) * DAY * d.between(0.7, 1.3);
      if (at >= death) break;
      communityContacts.push(at);
    }

  let acp: CareTruth['acp'];
  const documented = d.chance(specialistContactAt !== undefined ? p.acp.whenSeen : p.acp.whenNotSeen);
  const acpAt =
    specialistContactAt !== undefined
      ? specialistContactAt + Math.min(logNormal(d, p.acp.daysAfterContact) * DAY, (death - specialistContactAt) * d.between(0.5, 0.95))
      : diagnosedAt + (death - diagnosedAt) * d.between(0.05, 0.9);
  if (documented) {
    const concordant = place !== 'other' && d.chance(p.concordantWhenRecorded);
    const others = Object.fromEntries(Object.entries(p.preferredPlace).filter(([k]) => k !== place)) as Record<PreferredPlace, number>;
    acp = {
      at: acpAt,
      preferredPlaceOfDeath: concordant ? place : d.share(others),
      codeStatus: d.chance(p.acp.dnacpr) ? 'dnacpr' : 'for-resuscitation',
      surrogate: d.chance(p.acp.surrogate),
    };
  }
  return {
    ...(referredAt !== undefined ? { referredAt } : {}),
    ...(specialistContactAt !== undefined ? { specialistContactAt } : {}),
    communityContacts,
    ...(acp ? { acp } : {}),
    placeOfDeath: place,
  };
}
