import { createLogger } from '@tandem/config';
import { DEFAULT_POLICY } from '@tandem/domain';
import { MAIL_SMTP_URL } from '@tandem/infra/mail';
import { DEFAULT_DIRECTORY_FILE, loadDirectory } from '@tandem/notifier/directory';
import { emailChannel } from '@tandem/notifier/email';
import type { Notifier } from '@tandem/notifier/notifier';
import { createNotifier } from '@tandem/notifier/notifier';
import type { RunningTandem } from './system';

/**
 * The notifier in the test's process, on the test system's topic, delivering e-mail to the local mail
 * catcher with the development directory — and no quiet hours, so a test means the same at any hour.
 */
export async function startNotifier(sys: RunningTandem, name: string): Promise<Notifier> {
  const notifier = createNotifier({
    pool: sys.pools.notifier,
    kafka: sys.kafka,
    topic: sys.topics.notifications,
    groupId: `${name}-notifier-${Date.now()}`,
    policy: { ...DEFAULT_POLICY, patientContact: { ...DEFAULT_POLICY.patientContact, quietHours: { from: '00:00', to: '00:00' } } },
    directory: loadDirectory(DEFAULT_DIRECTORY_FILE),
    adapters: { email: emailChannel({ smtpUrl: MAIL_SMTP_URL, from: 'Tandem <tandem@localhost>' }) },
    publicUrl: sys.config.publicUrl,
    log: createLogger('notifier', 'error'),
    pollMs: 200,
  });
  await notifier.start();
  return notifier;
}
