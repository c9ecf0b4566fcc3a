import { loadPathwayPolicy } from '@tandem/config/policy';
import { createLogger, loadConfigOrExit, runService } from '@tandem/config';
import { createPool } from '@tandem/db';
import { createKafka, ensureTopics, topicNames } from '@tandem/kafka';
import { emailChannel } from './channels/email';
import { webhookChannel } from './channels/webhook';
import { DEFAULT_DIRECTORY_FILE, loadDirectory } from './directory';
import { createNotifier } from './notifier';

runService('notifier', async () => {
  const config = loadConfigOrExit();
  const log = createLogger('notifier', config.logLevel);
  const policy = loadPathwayPolicy(config);
  // Production needs a site's own directory; development uses the built-in one (mail to the local catcher).
  const directoryFile = config.notifier.directoryFile ?? (config.env === 'production' ? undefined : DEFAULT_DIRECTORY_FILE);
  const directory = directoryFile ? loadDirectory(directoryFile) : undefined;
  if (!directory) log.warn('no TANDEM_DIRECTORY: staff notifications go to the console only, not by e-mail');
  const topics = topicNames(config.kafka.topicSuffix);
  const kafka = createKafka(config, 'tandem-notifier');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topics.careNotifications]);
  await admin.disconnect();
  const pool = createPool(config, { max: 5, service: 'notifier' });
  const notifier = createNotifier({
    pool,
    kafka,
    topic: topics.careNotifications,
    groupId: config.notifier.groupId,
    policy: policy.policy,
    directory,
    adapters: {
      email: emailChannel({ smtpUrl: config.notifier.smtpUrl, from: config.notifier.mailFrom }),
      ...(config.notifier.smsWebhookUrl ? { sms: webhookChannel({ url: config.notifier.smsWebhookUrl }) } : {}),
    },
    publicUrl: config.publicUrl,
    log,
    retry: config.notifier.retry,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
  });
  await notifier.start();
  log.info('delivering care-notifications', {
    topic: topics.careNotifications,
    smtp: config.notifier.smtpUrl.replace(/\/\/[^@/]*@/, '//***@'),
    sms: config.notifier.smsWebhookUrl ? 'webhook' : 'off',
    directory: directoryFile ?? 'none',
  });
  return async () => {
    await notifier.stop();
    await pool.end();
  };
});
