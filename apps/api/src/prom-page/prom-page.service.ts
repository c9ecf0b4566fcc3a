import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { TandemConfig } from '@tandem/config';
import type { PromLinkClaims, PromLinkTokens } from '@tandem/db';
import { claimPromLink, promLinkIssued, promLinkState, promLinkTokens, releasePromLink, writeAudit } from '@tandem/db';
import type { ResolvedPolicy } from '@tandem/domain';
import type { Language } from '@tandem/prom-page';
import { CATALOGUES, chooseLanguage, LANGUAGES } from '@tandem/prom-page';
import { EventIntake } from '../events/event-intake';
import { CONFIG, PG_POOL, POLICY } from '../tokens';
import type { PromAnswers } from './prom-page.schemas';

/**
 * Why a link cannot be answered (each has its page, docs/patient-page.md). `closed`: the pathway has
 * closed (death, withdrawal, a decline, a transfer out): the same answer whatever the reason.
 */
export type ClosedState = 'used' | 'expired' | 'revoked' | 'replaced' | 'closed' | 'invalid';

export interface PageContext {
  language: Language;
  languages: Array<{ code: Language; name: string }>;
  onCallNumber: string;
  emergencyNumber: string;
  severeAtLeast: number;
}

export type OpenedLink = ({ state: 'open'; instruments: string[]; expiresAt: string } | { state: ClosedState }) & PageContext;
export type Submitted = { state: 'submitted'; severe: Array<{ instrument: string; item: string; score: number }> } & PageContext;

/**
 * The patient's PROM page behind its link: what the link may still do, and an answer turned into
 * `prom.submitted` events through the same intake as `POST /api/v1/events`. A link answers once.
 */
@Injectable()
export class PromPageService {
  private readonly tokens: PromLinkTokens;

  constructor(
    @Inject(CONFIG) config: TandemConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(POLICY) private readonly policy: ResolvedPolicy,
    @Inject(EventIntake) private readonly intake: EventIntake,
  ) {
    this.tokens = promLinkTokens(config);
  }

  async open(token: string, lang: string | undefined): Promise<OpenedLink> {
    const link = await this.check(token, lang);
    if (!('claims' in link)) return link;
    return { state: 'open', instruments: link.claims.ins, expiresAt: link.expiresAt.toISOString(), ...link.context };
  }

  async submit(token: string, body: PromAnswers): Promise<OpenedLink | Submitted> {
    const link = await this.check(token, body.lang);
    if (!('claims' in link)) return link;
    const { claims, context } = link;
    const events = this.events(claims, body);
    if (events.length === 0) return { state: 'invalid', ...context };
    if (
      !(await claimPromLink(
        this.pool,
        claims,
        events.map((e) => e.data.responseId),
      ))
    )
      return { state: 'used', ...context };
    try {
      // The link is the author: its request id, never the token.
      await this.intake.queue(events, { via: 'prom-page', link: claims.rid });
    } catch (e) {
      await releasePromLink(this.pool, claims.rid);
      throw e;
    }
    await writeAudit(this.pool, { actor: 'patient-link', roles: [], action: 'POST /api/p/{token}', patientIds: [claims.pid], status: 202 });
    const severe = events.flatMap((e) =>
      Object.entries(e.data.scores)
        .filter(([, v]) => v !== undefined && v >= this.policy.policy.proms.severeAtLeast)
        .map(([item, score]) => ({ instrument: e.data.instrument, item, score: score })),
    );
    return { state: 'submitted', severe, ...context };
  }

  /** A genuine link that may still be answered, with its page's context; otherwise why not. */
  private async check(
    token: string,
    lang: string | undefined,
  ): Promise<{ claims: PromLinkClaims; expiresAt: Date; context: PageContext } | ({ state: ClosedState } & PageContext)> {
    const opened = await this.tokens.open(token);
    if (!opened.ok) return { state: opened.why, ...this.context(lang, undefined) };
    // Sealed by Tandem is not enough: the link must be one that was queued, found by its token's hash.
    if (!(await promLinkIssued(this.pool, token, opened.claims))) return { state: 'invalid', ...this.context(lang, undefined) };
    const s = await promLinkState(this.pool, opened.claims);
    // A closed pathway's page is in the language asked for, never the patient's: it tells nothing of them.
    if (s.state === 'closed') return { state: 'closed', ...this.context(lang, undefined) };
    const context = this.context(lang, s.preferredLanguage);
    if (s.state !== 'open') return { state: s.state, ...context };
    return { claims: opened.claims, expiresAt: opened.expiresAt, context };
  }

  /** One `prom.submitted` per instrument asked for and answered, naming the request (docs/contract.md section 3). */
  private events(claims: PromLinkClaims, body: PromAnswers) {
    const time = new Date().toISOString();
    return claims.ins.flatMap((instrument) => {
      const given = body.answers[instrument as keyof PromAnswers['answers']];
      const scores = Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined)) as Record<string, number>;
      if (Object.keys(scores).length === 0) return [];
      return [
        {
          specversion: '1.0',
          id: `prom-page-${randomUUID()}`,
          source: 'tandem/prom-page',
          type: 'prom.submitted',
          subject: claims.pid,
          time,
          datacontenttype: 'application/json',
          data: { instrument, responseId: randomUUID(), requestId: claims.rid, scores },
        } as const,
      ];
    });
  }

  private context(lang: string | undefined, preferred: string | undefined): PageContext {
    const p = this.policy.policy;
    return {
      language: lang && (LANGUAGES as string[]).includes(lang) ? (lang as Language) : chooseLanguage(preferred),
      languages: LANGUAGES.map((code) => ({ code, name: CATALOGUES[code].name })),
      onCallNumber: p.patientContact.onCallNumber,
      emergencyNumber: p.patientContact.emergencyNumber,
      severeAtLeast: p.proms.severeAtLeast,
    };
  }
}
