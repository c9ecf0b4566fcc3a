import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPaths } from '@tandem/api/openapi';
import { provisionSchemathesis } from '@tandem/infra/provision';
import { repoRoot } from '@tandem/infra/paths';
import { freshDatabase, newPatientId, waitFor } from '@tandem/testing';
import { fiveEventJourney } from '../src/expected';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The API against its own OpenAPI document, under schemathesis with every check (status codes,
 * schemas, headers, undeclared methods, auth, positive and negative data) and its stateful links
 * (GET /tasks → one task → claim/complete), once with a token for each role. Its own database, so
 * the fuzzer follows only the tasks of this file's patients, whose pathways have a worker here.
 */
const ROLES = ['coordinator', 'clinician', 'specialist', 'ops', 'admin', 'integration'] as const;
const CONFIG = join(repoRoot, 'apps', 'e2e', 'fuzz', 'schemathesis.toml');
/** Cases per operation and phase: enough to cross every schema branch (over 2,000 cases a role), small enough for npm test with six roles. */
const MAX_EXAMPLES = 12;
const RUN_TIMEOUT_MS = 240_000;
/**
 * Every operation of the document but the one serving the document itself, which schemathesis reads
 * and leaves out, and sign-out, which would revoke the fuzzer's own token (schemathesis.toml).
 */
const NOT_FUZZED = ['/api/docs.json', '/api/v1/sign-out'];
const OPERATIONS = Object.entries(openApiPaths())
  .filter(([path]) => !NOT_FUZZED.includes(path))
  .reduce((n, [, ops]) => n + Object.keys(ops).length, 0);
/**
 * A service account may only post events (apps/api/src/events/authorship.ts): it is fuzzed on that
 * operation alone. Its 403 everywhere else is held route by route by apps/api/test/access-matrix.test.ts, and
 * fuzzing 34 operations that all answer 403 cost the suite 35 s for nothing more.
 */
const ONLY: Partial<Record<(typeof ROLES)[number], { path: string; method: string }>> = {
  integration: { path: '/api/v1/events', method: 'POST' },
};

let sys: RunningTandem;
let st: string;

beforeAll(async () => {
  st = await provisionSchemathesis();
  const databaseUrl = await freshDatabase('tandem_fuzz');
  // High limits, so the fuzzer reaches the logic behind the rate-limited routes (security.test.ts holds the limits).
  sys = await startTandem({ databaseUrl, patientPageRequestsPerMinute: 100_000, rateLimits: { devToken: 100_000, events: 100_000 } });
  const patients = [newPatientId('fz'), newPatientId('fz'), newPatientId('fz')];
  await sys.producer.send({
    topic: sys.topics.in,
    messages: patients.flatMap((p) => fiveEventJourney(p).map((e) => ({ key: p, value: JSON.stringify(e) }))),
  });
  await waitFor(async () => (await sys.pool.query<{ n: number }>(`SELECT count(DISTINCT patient_id)::int AS n FROM task`)).rows[0]!.n === patients.length, {
    what: 'tasks for the fuzzer to follow',
    timeoutMs: 60_000,
  });
}, 180_000);

afterAll(async () => {
  await sys?.stop();
});

interface FuzzRun {
  code: number | null;
  output: string;
}

function schemathesis(token: string, only?: { path: string; method: string }): Promise<FuzzRun> {
  const args = [
    '--config-file',
    CONFIG,
    'run',
    `${sys.apiUrl}/api/docs.json`,
    '--checks',
    'all',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    '20261201',
    '--request-timeout',
    '20',
    '--header',
    `Authorization: Bearer ${token}`,
    '--no-color',
    // One operation has no links to follow: no stateful phase for it (schemathesis counts missing links as an error).
    ...(only ? ['--include-name', `${only.method} ${only.path}`, '--phases', 'examples,coverage,fuzzing'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(st, args, { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS - 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** "1911 generated, 1911 passed, 28 skipped" → its numbers; the summary's operations line. */
function summary(output: string): { generated: number; operations: string } {
  const generated = Number(/(\d+) generated/.exec(output)?.[1] ?? NaN);
  const operations = /Tested: (\d+)/.exec(output)?.[1] ?? '?';
  return { generated, operations };
}

describe('the API under schemathesis', () => {
  for (const role of ROLES) {
    it(
      `conforms to its OpenAPI document for ${role}: 0 failures, 0 errors`,
      async () => {
        const run = await schemathesis(await sys.token([role], `fuzz-${role}`), ONLY[role]);
        const { generated, operations } = summary(run.output);
        process.stdout.write(`schemathesis (${role}): ${generated} cases over ${operations} operations, exit ${String(run.code)}\n`);
        const failures = run.output.slice(run.output.indexOf('= FAILURES ='));
        expect(run.code, run.code === 0 ? '' : failures.slice(0, 12_000)).toBe(0);
        expect(generated).toBeGreaterThan(ONLY[role] ? 50 : 500);
        expect(operations).toBe(String(ONLY[role] ? 1 : OPERATIONS));
      },
      RUN_TIMEOUT_MS,
    );
  }
});
