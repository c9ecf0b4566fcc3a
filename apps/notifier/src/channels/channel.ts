import type { DeliveryChannel } from '@tandem/domain';

/** One message on its way: to an address or number the notifier looked up (never logged or stored). */
export interface OutgoingMessage {
  notificationId: string;
  channel: DeliveryChannel;
  to: string;
  subject: string;
  text: string;
}

/**
 * A failed send, classified: `permanent` (the address is refused, the gateway rejects the message)
 * parks the delivery at once; otherwise it is tried again with backoff. The message names no address.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A way to deliver (SMTP, an SMS gateway's webhook, …): one send per call, idempotent by notification id at the far end where it can be. */
export interface ChannelAdapter {
  send(m: OutgoingMessage): Promise<void>;
  close?(): Promise<void>;
}
