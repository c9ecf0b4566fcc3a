import { ConfigError } from './loader';

/**
 * Runs a long-lived service: `setup` starts it and returns how to stop it. SIGINT/SIGTERM stop it
 * cleanly; a failure prints one readable line (no stack trace) and exits non-zero.
 */
export function runService(name: string, setup: () => Promise<() => Promise<void>>): void {
  let stop: (() => Promise<void>) | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${name}: ${signal} received, stopping\n`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    (stop ? stop() : Promise.resolve())
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        process.stderr.write(`${name}: error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  setup()
    .then((s) => {
      stop = s;
      if (stopping) void s().finally(() => process.exit(0));
    })
    .catch((e: unknown) => {
      const message = e instanceof ConfigError ? e.message : `failed to start: ${(e as Error)?.message ?? String(e)}`;
      process.stderr.write(`${name}: ${message}\n`);
      process.exit(1);
    });
}
