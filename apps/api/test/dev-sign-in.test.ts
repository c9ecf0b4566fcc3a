import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { loadConfig } from '@tandem/config';
import { SessionController } from '../src/session/session.controller';
import { isLoopback } from '../src/session/loopback';
import type { SessionRevocations } from '../src/session/revocation';

/** The sign-in never consults revocations. */
const noRevocations = {} as SessionRevocations;

const config = loadConfig({ NODE_ENV: 'development', TANDEM_AUTH_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' });
const from = (remoteAddress: string | undefined, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as Request;

describe('the development sign-in answers only on loopback', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('%s is loopback', (a) => expect(isLoopback(a)).toBe(true));
  it.each(['10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', '0.0.0.0', '', undefined, 'localhost'])('%s is not', (a) =>
    expect(isLoopback(a)).toBe(false),
  );

  it('mints a token for a client on loopback', async () => {
    const r = await new SessionController(config, noRevocations).devToken({ role: 'admin', sub: 'me' }, from('127.0.0.1'));
    expect(r.token.split('.')).toHaveLength(3);
  });

  it('refuses a client on another interface with 403, whatever X-Forwarded-For says', async () => {
    const attempt = new SessionController(config, noRevocations).devToken({ role: 'admin', sub: 'me' }, from('192.168.1.20', { 'x-forwarded-for': '127.0.0.1' }));
    await expect(attempt).rejects.toMatchObject({ status: 403, error: 'forbidden' });
  });

  it('does not exist in production', async () => {
    const prod = { ...config, env: 'production' as const };
    await expect(new SessionController(prod, noRevocations).devToken({ role: 'admin', sub: 'me' }, from('127.0.0.1'))).rejects.toMatchObject({ status: 404 });
  });
});
