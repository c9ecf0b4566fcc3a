import { MAIL_WEB_URL } from '@tandem/infra/mail';

/** A message as the local mail catcher (MailDev) keeps it. */
export interface CaughtMail {
  id: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  to: Array<{ address: string }>;
}

/** Every message the local mail catcher holds (its REST API: GET /email). */
export async function caughtMail(): Promise<CaughtMail[]> {
  const res = await fetch(`${MAIL_WEB_URL}/email`);
  if (!res.ok) throw new Error(`the mail catcher answered HTTP ${res.status}`);
  return (await res.json()) as CaughtMail[];
}

/** The messages the notifier sent for one notification (by its X-Tandem-Notification header). */
export const mailFor = (mail: CaughtMail[], notificationId: string) => mail.filter((m) => m.headers['x-tandem-notification'] === notificationId);
