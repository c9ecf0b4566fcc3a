import { startKafka, startPostgres, startTemporal, stopKafka, stopPostgres, stopTemporal } from '@tandem/infra/services';
import { provisionMavenRuntime, provisionTemporalCli } from '@tandem/infra/provision';

export type LocalService = 'postgres' | 'temporal' | 'kafka';

/**
 * Stops one of the local services the test set-up started, keeps it down for `downMs`, and starts
 * it again on its same data (its state survives, as a restarted server's would). Resolves once it
 * listens again; clients reconnect by themselves, which is what the failure tests check.
 */
export async function restartLocal(service: LocalService, downMs = 2_000): Promise<{ downForMs: number }> {
  const stoppedAt = Date.now();
  if (service === 'postgres') await stopPostgres();
  else if (service === 'temporal') await stopTemporal();
  else await stopKafka();
  await new Promise((r) => setTimeout(r, downMs));
  if (service === 'postgres') await startPostgres();
  else if (service === 'temporal') await startTemporal(await provisionTemporalCli());
  else await startKafka(await provisionMavenRuntime('kafka', 'Apache Kafka 3.9 (KRaft)'));
  return { downForMs: Date.now() - stoppedAt };
}
