import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PathwayCommand } from '@tandem/domain';
import { createPromLinks, promLinkTokens } from '../src/prom-links';
import { stepOps } from '../src/step-ops';

const key = { id: 'k1', key: randomBytes(32) };
const config = { payload: { currentKey: key, decryptionKeys: [key] }, publicUrl: 'https://tandem.example.org' };
const notify = (commandId: string, kind: 'prom-request' | 'prom-reminder' | 'gp-update', evidence: Record<string, unknown>): PathwayCommand => ({
  kind: 'notify',
  commandId,
  notification: {
    kind,
    recipient: { role: kind === 'gp-update' ? 'gp' : 'patient' },
    channel: 'app',
    text: 't',
    patientFacing: kind !== 'gp-update',
    reason: { rule: '2.2.proms.schedule', evidence },
  },
});

describe('PROM links', () => {
  const links = createPromLinks(config, 7 * 86_400_000);
  const commands = [
    notify('c1', 'prom-request', { requestId: 'p1-prom-1', instruments: ['ESAS-r', 'DT'] }),
    notify('c2', 'prom-reminder', { requestId: 'p1-prom-1', reminder: 1, instruments: ['ESAS-r'] }),
    notify('c3', 'gp-update', { eventIds: ['e'] }),
  ];

  it('are minted for prom-requests and reminders only, naming request, patient and instruments, valid for the policy’s time', async () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const minted = await links.forCommands('p1', commands, now);
    expect(Object.keys(minted).sort()).toEqual(['c1', 'c2']);
    const tokens = promLinkTokens(config);
    const open = (url: string) => tokens.open(url.split('/p/')[1]!, new Date('2026-12-02T10:00:00Z'));
    expect(minted.c1).toMatch(/^https:\/\/tandem\.example\.org\/p\/[A-Za-z0-9_.-]+$/);
    expect(await open(minted.c1!)).toEqual({
      ok: true,
      claims: { rid: 'p1-prom-1', pid: 'p1', ins: ['ESAS-r', 'DT'] },
      expiresAt: new Date('2026-12-08T10:00:00Z'),
    });
    expect(await open(minted.c2!)).toMatchObject({ ok: true, claims: { ins: ['ESAS-r'] } });
    expect(minted.c1).not.toContain('p1-prom');
  });

  it('travel in the notification the step queues (and nowhere else)', async () => {
    const minted = await links.forCommands('p1', commands);
    const ops = stepOps({ workflowId: 'pathway-p1', patientId: 'p1' }, commands, () => '2026-12-01T10:00:00.000Z', minted);
    const payloads = ops.flatMap((o) => (o.k === 'notify' ? [o.payload] : []));
    expect(payloads.map((p) => [p.kind, p.link])).toEqual([
      ['prom-request', minted.c1],
      ['prom-reminder', minted.c2],
      ['gp-update', undefined],
    ]);
  });
});
