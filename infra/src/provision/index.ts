import { provisionMavenRuntime } from './maven';
import { provisionTemporalCli } from './temporal-cli';
import { provisionTimeSkippingServer } from './test-server';

export interface Tools {
  temporalCli: string;
  kafkaLib: string;
  timeSkippingServer: string;
}

/** Everything the local services and tests need, provisioned once into the cache (idempotent). */
export async function provisionAll(): Promise<Tools> {
  // Maven fetches are quick; the Go build is the long pole, so start it first and overlap.
  const [temporalCli, kafkaLib, timeSkippingServer] = await Promise.all([
    provisionTemporalCli(),
    provisionMavenRuntime('kafka', 'Apache Kafka 3.9 (KRaft)'),
    provisionTimeSkippingServer(),
  ]);
  return { temporalCli, kafkaLib, timeSkippingServer };
}

export { provisionChromium } from './chromium';
export { provisionSchemathesis, schemathesisPath, SCHEMATHESIS_VERSION } from './schemathesis';
export { provisionMavenRuntime, provisionTemporalCli, provisionTimeSkippingServer };
