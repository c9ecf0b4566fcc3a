import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiApp } from '@tandem/api/app';
import { createLogger } from '@tandem/config';
import { Client, Connection } from '@temporalio/client';
import { tandemDataConverter } from '@tandem/temporal';
import { advancedDiagnosis, newPatientId, waitFor } from '@tandem/testing';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';
import type { TcpProxy } from '../src/tcp-proxy';
import { startTcpProxy } from '../src/tcp-proxy';

/**
 * ADR 0004's promise, on the real services: completing a task commits only once the pathway
 * workflow is told. With Temporal out of the API's reach, the completion answers 503 and leaves
 * nothing behind (the task open, no history row, the workflow none the wiser); once Temporal is
 * back, the same request succeeds, once. The API under test reaches Temporal through a proxy this
 * test cuts; the worker and the bridge keep their own connections.
 */
let sys: RunningTandem;
let proxy: TcpProxy;
let connection: Connection;
let admin: Admin;
let app: INestApplication;
let apiUrl: string;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  proxy = await startTcpProxy(sys.config.temporal.address);
  // Through the proxy, without the client's own retries (interceptors: []): a call fails when the
  // proxy is cut, as it does once the default retries give up, and no retry timer outlives the test.
  connection = await Connection.connect({ address: proxy.address, interceptors: [] });
  const temporal = new Client({ connection, namespace: sys.config.temporal.namespace, dataConverter: tandemDataConverter(sys.config) });
  admin = sys.kafka.admin();
  await admin.connect();
  app = await createApiApp({
    config: sys.config,
    pool: sys.pools.api,
    temporal,
    log: createLogger('test', 'error'),
    kafka: { producer: sys.producer, admin, eventsTopic: sys.topics.in },
  });
  await app.listen(0, '127.0.0.1');
  apiUrl = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  await admin?.disconnect();
  await connection?.close();
  await proxy?.close();
  await sys?.stop();
});

describe('completing a task while Temporal is out of reach (ADR 0004)', () => {
  it('answers 503 and records nothing; a retry once Temporal is back succeeds, once', async () => {
    const token = await sys.token(['coordinator'], 'coord-rollback');
    const complete = (id: string) =>
      fetch(`${apiUrl}/api/v1/tasks/${id}/complete`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'assigned' }),
      });
    const patientId = newPatientId('rollback');
    await sys.producer.send({ topic: sys.topics.in, messages: [{ key: patientId, value: JSON.stringify(advancedDiagnosis(patientId)) }] });
    const task = await waitFor(
      async () =>
        (
          await sys.pool.query<{ id: string; command_id: string }>(`SELECT id, command_id FROM task WHERE patient_id = $1 AND type = 'assign-key-worker'`, [
            patientId,
          ])
        ).rows[0],
      { what: 'the assign-key-worker task', timeoutMs: 30_000 },
    );
    const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(patientId));
    const workflowStatus = async () => Object.values((await handle.query(pathwayStateQuery)).state.tasks).find((t) => t.type === 'assign-key-worker')?.status;
    const recorded = async () => ({
      status: (await sys.pool.query<{ status: string }>(`SELECT status FROM task WHERE id = $1`, [task.id])).rows[0]?.status,
      done: (await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM task_history WHERE task_id = $1 AND status = 'done'`, [task.id])).rows[0]?.n,
    });

    proxy.cut();
    const refused = await complete(task.id);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: 'unavailable' });
    expect(await recorded()).toEqual({ status: 'open', done: 0 });
    expect(await workflowStatus()).toBe('open');

    proxy.restore();
    // The API's readiness names Temporal: once it answers through the proxy, the client is back.
    await waitFor(async () => (await fetch(`${apiUrl}/readyz`)).ok, { what: 'the API to reach Temporal again', timeoutMs: 30_000 });
    const retried = await complete(task.id);
    expect(retried.status).toBe(200);
    expect(await recorded()).toEqual({ status: 'done', done: 1 });
    await waitFor(async () => (await workflowStatus()) === 'done', { what: 'the workflow to record the one completion', timeoutMs: 20_000 });
    expect((await complete(task.id)).status).toBe(409);
    expect(await recorded()).toEqual({ status: 'done', done: 1 });
  }, 120_000);
});
