import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths';

/**
 * Proves the architecture's import rules are enforced, not just configured: a deliberate
 * violation, written into the real project folders, is reported by ESLint.
 */
let eslint: ESLint;

beforeAll(async () => {
  await createProjectGraphAsync({ exitOnError: false }); // the Nx rule reads the cached project graph
  eslint = new ESLint({ cwd: repoRoot });
}, 120_000);

async function lintProbe(folder: string, code: string): Promise<string[]> {
  const file = join(repoRoot, folder, `boundary-probe-${randomUUID().slice(0, 8)}.ts`);
  writeFileSync(file, code);
  try {
    const [result] = await eslint.lintFiles([file]);
    return result!.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
  } finally {
    rmSync(file, { force: true });
  }
}

const cases: Array<{ folder: string; code: string; rule: string; why: string }> = [
  { folder: 'workflows/src', code: "import { Pool } from 'pg';\nexport const p = Pool;\n", rule: '@nx/enforce-module-boundaries', why: 'pg in workflow code' },
  {
    folder: 'workflows/src',
    code: "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
    rule: '@nx/enforce-module-boundaries',
    why: 'kafkajs in workflow code',
  },
  {
    folder: 'workflows/src',
    code: "import { Client } from '@temporalio/client';\nexport const c = Client;\n",
    rule: '@nx/enforce-module-boundaries',
    why: 'the Temporal client in workflow code',
  },
  {
    folder: 'workflows/src',
    code: "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    rule: 'import/no-nodejs-modules',
    why: 'a Node built-in in workflow code',
  },
  {
    folder: 'libs/domain/src',
    code: "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n",
    rule: '@nx/enforce-module-boundaries',
    why: 'NestJS in the domain',
  },
  {
    folder: 'libs/domain/src',
    code: "import { randomUUID } from 'crypto';\nexport const r = randomUUID;\n",
    rule: 'import/no-nodejs-modules',
    why: 'a Node built-in in the domain',
  },
  {
    folder: 'libs/domain/src',
    code: "import { createPool } from '@tandem/db';\nexport const c = createPool;\n",
    rule: '@nx/enforce-module-boundaries',
    why: 'the domain depending on libs/db',
  },
  {
    folder: 'libs/db/src',
    code: "import { createBridge } from '@tandem/kafka-bridge/bridge';\nexport const b = createBridge;\n",
    rule: '@nx/enforce-module-boundaries',
    why: 'a library depending on an app',
  },
  {
    folder: 'apps/api/src',
    code: "import { createActivities } from '@tandem/activities';\nexport const a = createActivities;\n",
    rule: '@nx/enforce-module-boundaries',
    why: 'an app other than the worker depending on the activities',
  },
];

describe('module boundaries', () => {
  // Type-aware linting builds a TypeScript program for the first probe: seconds on a busy machine.
  it.each(cases)(
    'reports $why',
    async ({ folder, code, rule }) => {
      const errors = await lintProbe(folder, code);
      expect(errors.some((e) => e.startsWith(`${rule}:`))).toBe(true);
    },
    60_000,
  );

  it('accepts what workflow code is meant to import', async () => {
    const errors = await lintProbe(
      'workflows/src',
      "import { sleep } from '@temporalio/workflow';\nimport { DEFAULT_POLICY } from '@tandem/domain';\nexport const ok = [sleep, DEFAULT_POLICY];\n",
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it('accepts the worker running the activities, and any service reading the policy from config', async () => {
    expect(await lintProbe('apps/worker/src', "import { createActivities } from '@tandem/activities';\nexport const a = createActivities;\n")).toEqual([]);
    expect(await lintProbe('apps/api/src', "import { loadPathwayPolicy } from '@tandem/config/policy';\nexport const l = loadPathwayPolicy;\n")).toEqual([]);
  }, 60_000);
});
