import nodemailer from 'nodemailer';
import type { ChannelAdapter, OutgoingMessage } from './channel';
import { DeliveryError } from './channel';

/**
 * E-mail over SMTP (nodemailer). The Message-ID is the notification's, so a message sent again after
 * a crash mid-send is the same message to every mail system that de-duplicates.
 */
export function emailChannel(o: { smtpUrl: string; from: string }): ChannelAdapter {
  const transport = nodemailer.createTransport(o.smtpUrl, { from: o.from });
  return {
    async send(m: OutgoingMessage) {
      try {
        await transport.sendMail({
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: `<${m.notificationId}.${m.channel}@tandem>`,
          headers: { 'X-Tandem-Notification': m.notificationId },
        });
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        // SMTP 5xx: the server refuses this message for good (bad address, policy); 4xx and no answer: try again.
        if (code !== undefined && code >= 500) throw new DeliveryError(`the mail server refused the message (SMTP ${code})`, true);
        throw new DeliveryError(
          code
            ? `the mail server deferred the message (SMTP ${code})`
            : `the mail server could not be reached (${(e as { code?: string }).code ?? 'no answer'})`,
          false,
        );
      }
    },
    close: () => Promise.resolve(transport.close()),
  };
}
