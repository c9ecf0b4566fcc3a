import type { CareNotification, DeliveryChannel, PathwayPolicy } from '@tandem/domain';

/** Whom a channel can reach for one notification (from the directory, the patient's contact and the settings). */
export type Reach = Record<DeliveryChannel, { to: string } | undefined>;

export interface Plan {
  /** The channels to deliver by, each with its recipient in words. */
  channels: Array<{ channel: DeliveryChannel; to: string }>;
  /** Channels the policy names that cannot reach this recipient (why nothing was sent, when none can). */
  unreachable: DeliveryChannel[];
}

const PEOPLE = new Set(['patient', 'caregiver']);

/**
 * Which channels carry a notification (docs/notifications.md): the policy's `delivery` lists them per
 * recipient role. Staff get every listed channel that reaches them; a patient or caregiver gets the
 * first listed one that does (one message per person, not one per channel).
 */
export function planDelivery(n: Pick<CareNotification, 'recipient'>, delivery: PathwayPolicy['delivery'], reach: Reach): Plan {
  const listed = delivery[n.recipient.role];
  const reachable = listed.filter((c) => reach[c] !== undefined).map((c) => ({ channel: c, to: reach[c]!.to }));
  const channels = PEOPLE.has(n.recipient.role) ? reachable.slice(0, 1) : reachable;
  return { channels, unreachable: listed.filter((c) => reach[c] === undefined) };
}

/** Whether a notification goes to the patient or to someone close to them (quiet hours apply). */
export const toPeople = (n: Pick<CareNotification, 'recipient'>) => PEOPLE.has(n.recipient.role);
