import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '@tandem/domain';
import { planDelivery } from '../src/routing';
import { quietUntil } from '../src/quiet-hours';
import { staffAddress, loadDirectory, DEFAULT_DIRECTORY_FILE } from '../src/directory';

const reach = (r: Partial<Record<'email' | 'sms' | 'in-app', string>>) => ({
  email: r.email ? { to: r.email } : undefined,
  sms: r.sms ? { to: r.sms } : undefined,
  'in-app': r['in-app'] ? { to: r['in-app'] } : undefined,
});

describe('planDelivery (policy delivery)', () => {
  const d = DEFAULT_POLICY.delivery;
  it.each([
    ['a patient with a phone and an e-mail: the first listed (SMS) only', 'patient', { sms: '+44', email: 'p@x' }, ['sms']],
    ['a patient with an e-mail only', 'patient', { email: 'p@x' }, ['email']],
    ['a caregiver with a phone', 'caregiver', { sms: '+44' }, ['sms']],
    ['a queue: the console and its mailbox', 'queue', { 'in-app': 'console', email: 'q@x' }, ['in-app', 'email']],
    ['a team without a mailbox: the console only', 'team', { 'in-app': 'console' }, ['in-app']],
    ['the GP: e-mail only, never the console', 'gp', { 'in-app': 'console', email: 'gp@x' }, ['email']],
  ] as const)('%s', (_, role, r, channels) => {
    expect(planDelivery({ recipient: { role } }, d, reach(r)).channels.map((c) => c.channel)).toEqual(channels);
  });

  it('says which channels could not reach a recipient nobody can reach', () => {
    expect(planDelivery({ recipient: { role: 'patient' } }, d, reach({}))).toEqual({ channels: [], unreachable: ['sms', 'email'] });
  });
});

describe('quietUntil (policy patientContact.quietHours)', () => {
  const hours = { from: '21:00', to: '08:00' };
  it.each([
    ['evening, in quiet hours: until 08:00 the next morning', '2026-12-01T22:30:00Z', '2026-12-02T08:00:00.000Z'],
    ['after midnight: until 08:00 the same morning', '2026-12-02T03:10:00Z', '2026-12-02T08:00:00.000Z'],
    ['the day: not quiet', '2026-12-02T12:00:00Z', undefined],
    ['08:00 exactly: not quiet any more', '2026-12-02T08:00:00Z', undefined],
    ['21:00 exactly: quiet', '2026-12-02T21:00:00Z', '2026-12-03T08:00:00.000Z'],
  ])('%s (London in winter = UTC)', (_, now, until) => expect(quietUntil(new Date(now), hours, 'Europe/London')?.toISOString()).toBe(until));

  it('reads the clock in the policy time zone (London summer time is UTC+1)', () => {
    expect(quietUntil(new Date('2026-07-01T20:30:00Z'), hours, 'Europe/London')?.toISOString()).toBe('2026-07-02T07:00:00.000Z');
  });

  it('a window within one day, and none when from equals to', () => {
    expect(quietUntil(new Date('2026-12-01T13:30:00Z'), { from: '13:00', to: '14:00' }, 'UTC')?.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(quietUntil(new Date('2026-12-01T13:30:00Z'), { from: '00:00', to: '00:00' }, 'UTC')).toBeUndefined();
  });
});

describe('the directory', () => {
  const dir = loadDirectory(DEFAULT_DIRECTORY_FILE);
  it.each([
    [{ role: 'queue', id: 'oncology' }, {}, 'oncology@tandem.local', "the oncology queue's mailbox"],
    [{ role: 'team', id: 'all-involved' }, {}, 'all-teams@tandem.local', "the all-involved team's mailbox"],
    [{ role: 'team', id: 'specialist-palliative' }, {}, 'specialist-palliative@tandem.local', "the specialist-palliative team's mailbox"],
    [{ role: 'key-worker' }, { keyWorker: 'coordinator-1' }, 'coordinator-1@tandem.local', 'key worker coordinator-1'],
    [{ role: 'key-worker' }, {}, 'coordination@tandem.local', 'the coordination mailbox (no key worker named yet)'],
    [{ role: 'gp' }, { gpPracticeId: 'P1' }, 'gp-practice@tandem.local', 'the GP practice (default address)'],
  ] as const)('%o %o → %s', (recipient, ctx, address, words) => expect(staffAddress(dir, recipient, ctx)).toEqual({ address, words }));

  it('has no address for an unknown team', () => expect(staffAddress(dir, { role: 'team', id: 'org-elsewhere' }, {})).toBeUndefined());
});
