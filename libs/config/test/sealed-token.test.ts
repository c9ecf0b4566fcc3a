import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PayloadKey } from '../src/keys';
import { sealedTokens } from '../src/sealed-token';

const key = (id: string): PayloadKey => ({ id, key: randomBytes(32) });
const isClaims = (x: unknown): x is { rid: string } => typeof (x as { rid?: unknown }).rid === 'string';
const inAnHour = () => new Date(Date.now() + 3_600_000);

describe('sealed tokens', () => {
  const k1 = key('k1');
  const tokens = sealedTokens({ currentKey: k1, decryptionKeys: [k1] }, 'test/purpose', isClaims);

  it('open what they sealed, and nothing of the claims can be read from the token', async () => {
    const t = await tokens.seal({ rid: 'patient-42-prom-1' }, inAnHour());
    expect(t.split('.')).toHaveLength(5);
    for (const part of t.split('.')) expect(Buffer.from(part, 'base64url').toString('latin1')).not.toContain('patient-42');
    expect(await tokens.open(t)).toMatchObject({ ok: true, claims: { rid: 'patient-42-prom-1' } });
  });

  it('refuse a changed token as invalid, and an expired genuine one as expired', async () => {
    const t = await tokens.seal({ rid: 'r' }, inAnHour());
    const parts = t.split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[3] = ciphertext.toString('base64url');
    expect(await tokens.open(parts.join('.'))).toEqual({ ok: false, why: 'invalid' });
    expect(await tokens.open('not-a-token')).toEqual({ ok: false, why: 'invalid' });
    expect(await tokens.open('a'.repeat(5000))).toEqual({ ok: false, why: 'invalid' });
    const old = await tokens.seal({ rid: 'r' }, new Date(Date.now() - 1000));
    expect(await tokens.open(old)).toEqual({ ok: false, why: 'expired' });
  });

  it('are bound to their purpose and survive a key rotation while the old key is kept', async () => {
    const t = await tokens.seal({ rid: 'r' }, inAnHour());
    const other = sealedTokens({ currentKey: k1, decryptionKeys: [k1] }, 'test/other', isClaims);
    expect(await other.open(t)).toEqual({ ok: false, why: 'invalid' });
    const k2 = key('k2');
    expect(await sealedTokens({ currentKey: k2, decryptionKeys: [k2, k1] }, 'test/purpose', isClaims).open(t)).toMatchObject({ ok: true });
    expect(await sealedTokens({ currentKey: k2, decryptionKeys: [k2] }, 'test/purpose', isClaims).open(t)).toEqual({ ok: false, why: 'invalid' });
  });
});
