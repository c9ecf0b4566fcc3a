import type { ChannelAdapter, OutgoingMessage } from './channel';
import { DeliveryError } from './channel';

/**
 * Text messages through an SMS gateway's HTTP webhook: one JSON POST per message, with the
 * notification id as `Idempotency-Key` so a gateway that honours it sends a retried message once.
 * 2xx: sent. 408, 429 and 5xx: try again. Any other answer: the gateway refuses it (parked).
 */
export function webhookChannel(o: { url: string; timeoutMs?: number }): ChannelAdapter {
  return {
    async send(m: OutgoingMessage) {
      let res: Response;
      try {
        res = await fetch(o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': m.notificationId },
          body: JSON.stringify({ id: m.notificationId, to: m.to, text: `${m.subject}\n${m.text}` }),
          signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new DeliveryError(`the SMS gateway could not be reached (${(e as Error).name})`, false);
      }
      await res.body?.cancel();
      if (res.ok) return;
      const retry = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new DeliveryError(`the SMS gateway answered HTTP ${res.status}`, !retry);
    },
  };
}
