import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisionMavenRuntime } from './maven';

/**
 * Temporal's Java time-skipping test server, wrapped in an executable the SDK can launch as
 * `<path> <port>`. Core gives up when the port does not answer within 5 s, so the JVM is tuned
 * for start-up (C1 only, serial GC): measured ~0.8 s on this machine kind.
 */
export async function provisionTimeSkippingServer(): Promise<string> {
  const lib = await provisionMavenRuntime('temporal-test-server', "Temporal's time-skipping test server");
  const wrapper = join(lib, '..', 'temporal-test-server');
  if (!existsSync(wrapper)) {
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx256m -cp '${lib}/*' io.temporal.testserver.TestServer "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
  }
  return wrapper;
}
