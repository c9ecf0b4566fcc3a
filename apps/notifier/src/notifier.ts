import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from '@tandem/config';
import type { PlannedDelivery } from '@tandem/db';
import {
  caregiverContact,
  dropNotification,
  keyWorkerOf,
  leaseDueDeliveries,
  markDelivered,
  markFailed,
  patientContact,
  patientStanding,
  postponeDelivery,
  recordNotification,
} from '@tandem/db';
import type { CareNotification, DeliveryChannel, PathwayPolicy } from '@tandem/domain';
import { careNotificationSchema } from '@tandem/domain';
import { chooseLanguage } from '@tandem/prom-page';
import type { ChannelAdapter } from './channels/channel';
import { DeliveryError } from './channels/channel';
import type { Directory } from './directory';
import { staffAddress } from './directory';
import { compose } from './messages';
import { quietUntil } from './quiet-hours';
import type { Reach } from './routing';
import { planDelivery, toPeople } from './routing';

export interface NotifierOptions {
  pool: Pool;
  kafka: Kafka;
  topic: string;
  groupId: string;
  policy: PathwayPolicy;
  directory: Directory | undefined;
  /** The adapters by channel; a channel without one reaches nobody (SMS without a gateway). */
  adapters: Partial<Record<Exclude<DeliveryChannel, 'in-app'>, ChannelAdapter>>;
  publicUrl: string;
  log: Logger;
  /** Tries before a delivery is parked, and the backoff between them (doubling from `firstMs` up to `maxMs`). */
  retry?: { attempts: number; firstMs: number; maxMs: number };
  /** How often due deliveries are looked for. */
  pollMs?: number;
  /** A notification already this old when first read is recorded but not delivered (a first start on old topics). */
  maxAgeMs?: number;
  sessionTimeoutMs?: number;
}

export interface Notifier {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One pass of the delivery loop (tests drive it; the loop calls it every `pollMs`). */
  deliverDue(): Promise<number>;
}

const DEFAULT_RETRY = { attempts: 8, firstMs: 5_000, maxMs: 600_000 };

/**
 * The notifier (docs/notifications.md): consumes care-notifications, records each notification once
 * with the channels the policy gives its recipient, and delivers them — retried with backoff, parked
 * with the reason when they cannot be, never to a patient known to have died or withdrawn (invariant 1),
 * and not during a patient's quiet hours.
 */
export function createNotifier(o: NotifierOptions): Notifier {
  const retry = o.retry ?? DEFAULT_RETRY;
  const consumer = o.kafka.consumer({ groupId: o.groupId, sessionTimeout: o.sessionTimeoutMs ?? 10_000, allowAutoTopicCreation: false });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  /** Who a channel reaches for this notification, looked up now (never stored). */
  async function resolve(n: CareNotification, channel: DeliveryChannel): Promise<{ address: string; words: string } | undefined> {
    const role = n.recipient.role;
    if (channel === 'in-app') return toPeople(n) ? undefined : { address: 'console', words: 'the console' };
    if (!o.adapters[channel]) return undefined;
    if (role === 'patient' || role === 'caregiver') {
      const c = role === 'patient' ? await patientContact(o.pool, n.patientId) : await caregiverContact(o.pool, n.patientId, n.recipient.id ?? '');
      const address = channel === 'email' ? c.email : c.phone;
      return address ? { address, words: `the ${role}'s ${channel === 'email' ? 'e-mail' : 'phone'}` } : undefined;
    }
    if (channel !== 'email' || !o.directory) return undefined;
    const [keyWorker, contact] = await Promise.all([
      role === 'key-worker' && !n.recipient.id ? keyWorkerOf(o.pool, n.patientId) : undefined,
      role === 'gp' ? patientContact(o.pool, n.patientId) : undefined,
    ]);
    const found = staffAddress(o.directory, n.recipient, { keyWorker, gpPracticeId: contact?.gpPracticeId });
    return found ? { address: found.address, words: found.words } : undefined;
  }

  async function plan(n: CareNotification): Promise<PlannedDelivery[]> {
    const listed = o.policy.delivery[n.recipient.role];
    const reach = Object.fromEntries(await Promise.all(listed.map(async (c) => [c, await resolve(n, c)] as const))) as Reach;
    const { channels, unreachable } = planDelivery(n, o.policy.delivery, reach);
    if (channels.length > 0)
      return channels.map(({ channel }) =>
        channel === 'in-app' ? { channel, status: 'delivered', deliveredTo: 'the console' } : { channel, status: 'pending' },
      );
    // Nobody can be reached: parked, visible with why, for an operator to fix (an address) and retry.
    const who =
      n.recipient.role === 'patient' || n.recipient.role === 'caregiver' ? `the ${n.recipient.role}` : `${n.recipient.role} ${n.recipient.id ?? ''}`.trim();
    return [
      {
        channel: unreachable[0] ?? 'email',
        status: 'parked',
        why: `no way to reach ${who}: no ${unreachable.join(' or ') || 'channel'} address on record or configured`,
      },
    ];
  }

  async function intake(value: Buffer | null, where: { partition: number; offset: string }): Promise<void> {
    let n: CareNotification;
    try {
      n = careNotificationSchema.parse(JSON.parse(value?.toString('utf8') ?? ''));
    } catch {
      o.log.warn('skipped a care-notifications record that is not a notification', where);
      return;
    }
    const age = Date.now() - new Date(n.createdAt).getTime();
    const tooOld = age > (o.maxAgeMs ?? 3 * 86_400_000);
    const why = `not delivered: ${Math.round(age / 86_400_000)} days old when first read`;
    // Too old (a history's step, a first start on a topic with history): recorded as dropped in the
    // same transaction, so no delivery pass can pick it up in between, and a crash cannot resend it.
    const deliveries = (await plan(n)).map((d) => (tooOld && d.status === 'pending' ? { ...d, status: 'dropped' as const, why } : d));
    const fresh = await recordNotification(o.pool, n, deliveries);
    if (fresh && tooOld) await dropNotification(o.pool, n.id, why);
  }

  async function deliverOne(d: { notification: CareNotification; channel: DeliveryChannel; attempts: number }): Promise<void> {
    const n = d.notification;
    const key = { notificationId: n.id, channel: d.channel };
    const standing = toPeople(n) ? await patientStanding(o.pool, n.patientId) : undefined;
    // Invariant 1, at the last moment: whatever the outbox or the topic still hold.
    const gone =
      standing && n.recipient.role === 'patient'
        ? standing.died
          ? 'the patient has died'
          : standing.withdrawn
            ? 'the patient withdrew'
            : undefined
        : standing?.withdrawn
          ? 'the patient withdrew'
          : undefined;
    if (gone) {
      await dropNotification(o.pool, n.id, `not delivered: ${gone}`);
      o.log.warn('notification dropped', { notificationId: n.id, kind: n.kind, why: gone });
      return;
    }
    if (standing) {
      const until = quietUntil(new Date(), o.policy.patientContact.quietHours, o.policy.patientContact.timeZone);
      if (until)
        return postponeDelivery(
          o.pool,
          key,
          until,
          `quiet hours (${o.policy.patientContact.quietHours.from}–${o.policy.patientContact.quietHours.to}): waits until then`,
        );
    }
    const adapter = d.channel === 'in-app' ? undefined : o.adapters[d.channel];
    const target = await resolve(n, d.channel);
    if (!adapter || !target) return markFailed(o.pool, key, `no ${d.channel} address for this recipient any more`, undefined);
    const text = compose(n, { language: chooseLanguage(standing?.preferredLanguage), policy: o.policy, publicUrl: o.publicUrl });
    try {
      await adapter.send({ notificationId: n.id, channel: d.channel, to: target.address, ...text });
      await markDelivered(o.pool, key, target.words);
      o.log.info('notification delivered', { notificationId: n.id, kind: n.kind, channel: d.channel });
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError(`could not send (${(e as Error).name})`, false);
      const last = err.permanent || d.attempts + 1 >= retry.attempts;
      const retryAt = last ? undefined : new Date(Date.now() + Math.min(retry.maxMs, retry.firstMs * 2 ** d.attempts));
      await markFailed(o.pool, key, err.message, retryAt);
      o.log.warn(last ? 'notification delivery parked' : 'notification delivery failed; will retry', {
        notificationId: n.id,
        channel: d.channel,
        why: err.message,
      });
    }
  }

  async function deliverDue(): Promise<number> {
    let done = 0;
    for (;;) {
      const due = await leaseDueDeliveries(o.pool, 20, 60_000);
      for (const d of due) await deliverOne(d);
      done += due.length;
      if (due.length < 20 || stopped) return done;
    }
  }

  const tick = () => {
    running = deliverDue()
      .catch((e: unknown) => {
        o.log.error('delivery pass failed; trying again', { error: (e as Error).message });
        return 0;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, o.pollMs ?? 1_000);
      });
  };

  return {
    deliverDue,
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topic: o.topic, fromBeginning: true });
      await consumer.run({ eachMessage: ({ message, partition }) => intake(message.value, { partition, offset: message.offset }) });
      tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await consumer.disconnect();
      for (const a of Object.values(o.adapters)) if (a.close) await a.close();
    },
  };
}
