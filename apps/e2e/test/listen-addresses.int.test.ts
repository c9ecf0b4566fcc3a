import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import type { ServiceProcess } from '@tandem/testing';
import { isLoopbackSocket, listeningSockets, spawnService, waitFor, databaseEnv } from '@tandem/testing';

/**
 * Local by default: the API and the kafka-bridge started as `npm start` starts them (their entry
 * points, development settings, no HOST) listen on the loopback interface only — read from the
 * operating system, with no traffic to any address. With HOST set they listen where it says.
 */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function start(extra: NodeJS.ProcessEnv = {}): Promise<{ api: ServiceProcess; bridge: ServiceProcess; ports: number[] }> {
  const run = randomUUID().slice(0, 8);
  const ports = [await freePort(), await freePort()];
  const env = {
    NODE_ENV: 'development',
    ...databaseEnv(inject('databaseUrl')),
    PORT: String(ports[0]),
    TANDEM_BRIDGE_METRICS_PORT: String(ports[1]),
    TANDEM_TOPIC_SUFFIX: `listen_${run}`,
    TANDEM_BRIDGE_GROUP: `listen-${run}`,
    TANDEM_TASK_QUEUE: `listen-${run}`,
    HOST: undefined,
    ...extra,
  };
  const api = spawnService('apps/api/src/main.ts', env, /"msg":"listening"/);
  const bridge = spawnService('apps/kafka-bridge/src/main.ts', env, /consuming clinical-events/);
  await Promise.all([api.ready, bridge.ready]);
  return { api, bridge, ports };
}

/** What the two processes listen on, once both of their ports are open. */
const listeningOn = (api: ServiceProcess, bridge: ServiceProcess, ports: number[]) =>
  waitFor(
    () => {
      const all = [...listeningSockets(api.pid), ...listeningSockets(bridge.pid)];
      return ports.every((p) => all.some((s) => s.port === p)) && all;
    },
    { what: 'both services listening', timeoutMs: 20_000 },
  );

describe('where the services listen', () => {
  it('in development, without HOST: the API and the bridge’s metrics on loopback only', async () => {
    const { api, bridge, ports } = await start();
    try {
      const sockets = await listeningOn(api, bridge, ports);
      expect(sockets.filter((s) => !isLoopbackSocket(s))).toEqual([]);
      expect(sockets.map((s) => s.port).sort()).toEqual([...ports].sort());
    } finally {
      await Promise.all([api.stop(), bridge.stop()]);
    }
  }, 120_000);

  it('HOST=0.0.0.0 opens them on every interface; the dev sign-in still answers a loopback client', async () => {
    const { api, bridge, ports } = await start({ HOST: '0.0.0.0' });
    try {
      const sockets = await listeningOn(api, bridge, ports);
      expect(sockets.filter((s) => ports.includes(s.port)).map((s) => s.address)).toEqual(['0.0.0.0', '0.0.0.0']);
      // Loopback traffic only (a refused remote client is the unit test's: apps/api/test/dev-sign-in.test.ts).
      const res = await fetch(`http://127.0.0.1:${ports[0]}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"role":"coordinator"}',
      });
      expect(res.status).toBe(200);
    } finally {
      await Promise.all([api.stop(), bridge.stop()]);
    }
  }, 120_000);
});
