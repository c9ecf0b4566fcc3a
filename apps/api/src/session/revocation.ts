import type { Pool } from 'pg';
import type { TokenVerifier, VerifiedPrincipal } from '../auth/tokens';
import { InvalidTokenError } from '../auth/tokens';

export const SESSION_REVOCATIONS = Symbol('SESSION_REVOCATIONS');

/**
 * How long one API process trusts that a token was not signed out before it asks PostgreSQL again.
 * A sign-out takes effect at once on the replica that took it, and on every other replica within
 * this bound (docs/security.md).
 */
export const REVOCATION_RECHECK_MS = 5_000;
/** The most token ids a process remembers; past it, it forgets the expired, then everything. */
const MAX_REMEMBERED = 20_000;

type Session = Pick<VerifiedPrincipal, 'tokenId' | 'expiresAt'>;

/**
 * Signed-out sessions (table `session_revocation`, migration 016), checked on every authenticated
 * request. A token id found revoked is remembered until the token expires; one found live is
 * re-checked after REVOCATION_RECHECK_MS, so each replica asks PostgreSQL at most once per token in
 * that window. A failed check is an error (503), never a pass.
 */
export class SessionRevocations {
  private readonly known = new Map<string, { revoked: boolean; until: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly recheckMs = REVOCATION_RECHECK_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async isRevoked(s: Session): Promise<boolean> {
    const hit = this.known.get(s.tokenId);
    if (hit && hit.until > this.now()) return hit.revoked;
    const r = await this.pool.query('SELECT 1 FROM session_revocation WHERE token_id = $1', [s.tokenId]);
    const revoked = (r.rowCount ?? 0) > 0;
    this.remember(s.tokenId, revoked, revoked ? s.expiresAt * 1000 : this.now() + this.recheckMs);
    return revoked;
  }

  /** Signs a session out for good (idempotent), and prunes revocations of tokens that have expired anyway. */
  async revoke(s: Session, actor: string): Promise<void> {
    await this.pool.query(`INSERT INTO session_revocation (token_id, actor, expires_at) VALUES ($1, $2, to_timestamp($3)) ON CONFLICT (token_id) DO NOTHING`, [
      s.tokenId,
      actor,
      s.expiresAt,
    ]);
    this.remember(s.tokenId, true, s.expiresAt * 1000);
    await this.pool.query(`DELETE FROM session_revocation WHERE expires_at < now() - interval '1 hour'`);
  }

  private remember(tokenId: string, revoked: boolean, until: number): void {
    if (this.known.size >= MAX_REMEMBERED) {
      const now = this.now();
      for (const [id, e] of this.known) if (e.until <= now) this.known.delete(id);
      if (this.known.size >= MAX_REMEMBERED) this.known.clear();
    }
    this.known.set(tokenId, { revoked, until });
  }
}

/** A verifier that also refuses signed-out sessions: what the guard and the codec server use. */
export function refusingRevoked(verify: TokenVerifier, revocations: SessionRevocations): TokenVerifier {
  return async (token) => {
    const principal = await verify(token);
    if (await revocations.isRevoked(principal)) throw new InvalidTokenError('this session has been signed out; sign in again');
    return principal;
  };
}
