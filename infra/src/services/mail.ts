import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataDir } from '../paths';
import { isPortOpen, logFileOf, startDetached, stopDetached, waitForPort } from './process';

/** The local mail catcher: a real SMTP server that keeps every message, with a web view (MailDev, from npm). */
export const MAIL = { host: '127.0.0.1', smtpPort: 1025, webPort: 1080 } as const;
export const MAIL_SMTP_URL = `smtp://${MAIL.host}:${MAIL.smtpPort}`;
export const MAIL_WEB_URL = `http://${MAIL.host}:${MAIL.webPort}`;

const maildevBin = () => join(dirname(require.resolve('maildev/package.json')), 'bin', 'maildev');

export async function startMail(): Promise<'started' | 'already-running'> {
  if (await isPortOpen(MAIL.host, MAIL.smtpPort)) return 'already-running';
  const dir = join(dataDir, 'mail');
  mkdirSync(dir, { recursive: true });
  startDetached('mail', process.execPath, [
    maildevBin(),
    '--smtp',
    String(MAIL.smtpPort),
    '--ip',
    MAIL.host,
    '--web',
    String(MAIL.webPort),
    '--web-ip',
    MAIL.host,
    // Kept on disk, so the mail view still shows yesterday's messages after a restart.
    '--mail-directory',
    dir,
    '--silent',
  ]);
  await waitForPort('the mail catcher (SMTP)', MAIL.host, MAIL.smtpPort, 30_000, logFileOf('mail'));
  await waitForPort('the mail catcher (web view)', MAIL.host, MAIL.webPort, 30_000, logFileOf('mail'));
  return 'started';
}

export function stopMail(): Promise<boolean> {
  return stopDetached('mail');
}
