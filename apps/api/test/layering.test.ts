import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@tandem/config';
import type { ApiDeps } from '../src/app.module';
import { AppModule, CONTROLLERS, FEATURE_MODULES } from '../src/app.module';

const SRC = join(__dirname, '..', 'src');

/** Packages that reach PostgreSQL, Temporal or Kafka: a controller's service uses them, never the controller. */
const BANNED_PACKAGES = ['pg', '@temporalio/client', 'kafkajs', '@tandem/db'];
/** The process-boundary tokens a controller may not inject. */
const BANNED_TOKENS = ['PG_POOL', 'TEMPORAL_CLIENT', 'KAFKA_ADMIN', 'KAFKA_PRODUCER'];

/** What a controller's source reaches that it should not: an import of a banned package (its subpaths too), or an injected boundary token. */
function violations(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (BANNED_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))) found.push(`imports ${spec}`);
  }
  for (const m of source.matchAll(/@Inject\(\s*(\w+)\s*\)/g)) if (BANNED_TOKENS.includes(m[1]!)) found.push(`injects ${m[1]}`);
  return found;
}

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? controllerFiles(join(dir, e.name)) : e.name.endsWith('.controller.ts') ? [join(dir, e.name)] : [],
  );
}

describe('API layering: controllers do HTTP, services reach PostgreSQL, Temporal and Kafka', () => {
  const files = controllerFiles(SRC);

  it('finds the controllers', () => {
    expect(files.length).toBeGreaterThanOrEqual(CONTROLLERS.length);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s imports no data-access package and injects no boundary token', (_name, file) => {
    expect(violations(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('reports a controller that does (negative control)', () => {
    const bad = [
      "import type { Pool } from 'pg';",
      "import { WorkflowNotFoundError } from '@temporalio/client';",
      "import { listTasks } from '@tandem/db';",
      "import { PG_POOL, TEMPORAL_CLIENT } from '../tokens';",
      'export class BadController {',
      '  constructor(@Inject(PG_POOL) private readonly pool: Pool, @Inject( TEMPORAL_CLIENT ) t: unknown) {}',
      '}',
    ].join('\n');
    expect(violations(bad)).toEqual(['imports pg', 'imports @temporalio/client', 'imports @tandem/db', 'injects PG_POOL', 'injects TEMPORAL_CLIENT']);
    // What controllers may import is not reported: a look-alike name is not the package.
    expect(violations("import { Pipe } from 'pg-like';\nimport { z } from 'zod';\n@Inject(TasksService)")).toEqual([]);
  });
});

describe('API feature modules', () => {
  const declared = FEATURE_MODULES.map((m) => ({ module: m.name, controllers: (Reflect.getMetadata('controllers', m) ?? []) as unknown[] }));

  it.each(CONTROLLERS.map((c) => [c.name, c]))('%s is declared by exactly one feature module', (_name, controller) => {
    expect(declared.filter((d) => d.controllers.includes(controller)).map((d) => d.module)).toHaveLength(1);
  });

  it('declare no controller that CONTROLLERS leaves out (the route tests would miss it)', () => {
    const all = declared.flatMap((d) => d.controllers);
    expect(all.filter((c) => !(CONTROLLERS as unknown[]).includes(c))).toEqual([]);
    expect(all).toHaveLength(CONTROLLERS.length);
  });
});

describe('the API module', () => {
  it('gives every controller what it injects from the core module and its feature module (nothing is connected)', async () => {
    const config = loadConfig({ NODE_ENV: 'development', TANDEM_AUTH_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' });
    // Stand-ins: building the module only hands them to constructors, which keep them for later.
    const deps = {
      config,
      pool: {},
      temporal: {},
      log: createLogger('api', 'error'),
      kafka: { producer: {}, admin: {}, eventsTopic: 'clinical-events' },
    } as unknown as ApiDeps;
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(deps), { logger: false, abortOnError: false });
    try {
      for (const controller of CONTROLLERS) expect(app.get(controller, { strict: false }), controller.name).toBeInstanceOf(controller);
    } finally {
      await app.close();
    }
  });
});
