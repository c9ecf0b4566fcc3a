import { describe, expect, it } from 'vitest';
import { componentOf, perEvent } from '../src/cpu';

describe('componentOf', () => {
  it.each([
    ['/root/.cache/tandem/temporal-cli/v1.5.1/temporal server start-dev --port 7243', 'temporal', 'Temporal server'],
    ['java -Xms256m kafka.Kafka /work/.tandem/data/kafka/server.properties', 'java', 'Kafka'],
    ['postgres: tandem tandem_bench 127.0.0.1(5432) idle', 'postgres', 'PostgreSQL'],
    ['/usr/bin/node --import tsx apps/worker/src/main.ts', 'node', 'worker'],
    ['/usr/bin/node --import tsx apps/bench/src/t1/worker.ts', 'node', 'worker'],
    ['/usr/bin/node --import tsx apps/kafka-bridge/src/main.ts', 'node', 'kafka-bridge'],
    ['/usr/bin/bash', 'bash', undefined],
  ])('%s → %s', (cmdline, comm, component) => {
    expect(componentOf(cmdline, comm, false)).toBe(component);
  });
});

describe('perEvent', () => {
  it('divides each component’s CPU over the events', () => {
    const before = new Map([['worker', 1_000]]);
    const after = new Map([
      ['worker', 1_600],
      ['Kafka', 300],
    ]);
    expect(perEvent(before, after, 100)).toEqual({ worker: 6, Kafka: 3 });
  });
});
