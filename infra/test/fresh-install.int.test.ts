import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A new user's first step: on a fresh clone the bootstrap installs the dependencies with `npm ci`
 * from the committed lock, and afterwards not one tracked file has changed (`npm ci` — what Docker
 * builds and most CI use — refuses a lock that misses other platforms' optional packages).
 */
const ROOT = resolve(__dirname, '..', '..');
const clone = mkdtempSync(join(tmpdir(), 'tandem-fresh-'));

afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe('a fresh install', () => {
  it('uses npm ci and changes no tracked file', () => {
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
    const r = spawnSync(process.execPath, ['infra/bootstrap.mjs', 'install'], { cwd: clone, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.status, output).toBe(0);
    expect(output).toContain('(npm ci)');
    expect(output).not.toContain('refused package-lock.json');
    expect(existsSync(join(clone, 'node_modules', '.package-lock.json'))).toBe(true);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' })).toBe('');
  }, 300_000);
});
