import type { TandemConfig, SealedTokens } from '@tandem/config';
import { sealedTokens } from '@tandem/config';
import type { PathwayCommand } from '@tandem/domain';
import { carriesPromLink } from '@tandem/domain';

/**
 * What a PROM-page link names, sealed (encrypted and authenticated) in its token: the request, the
 * patient it was sent to and the instruments asked for, plus the expiry. Nothing of it can be read
 * from the URL (docs/patient-page.md).
 */
export interface PromLinkClaims {
  [claim: string]: unknown;
  /** The request (`prom.submitted.requestId`). */
  rid: string;
  /** The patient (the event's subject). */
  pid: string;
  /** The instruments asked for, in order. */
  ins: string[];
}

const INSTRUMENT_IDS = new Set(['ESAS-r', 'DT']);

function isPromLinkClaims(x: unknown): x is PromLinkClaims {
  const c = x as Partial<PromLinkClaims>;
  return (
    typeof c.rid === 'string' &&
    c.rid.length > 0 &&
    typeof c.pid === 'string' &&
    c.pid.length > 0 &&
    Array.isArray(c.ins) &&
    c.ins.length > 0 &&
    c.ins.every((i) => typeof i === 'string' && INSTRUMENT_IDS.has(i))
  );
}

export type PromLinkTokens = SealedTokens<PromLinkClaims>;

export const promLinkTokens = (config: Pick<TandemConfig, 'payload'>): PromLinkTokens => sealedTokens(config.payload, 'tandem/prom-link', isPromLinkClaims);

export interface PromLinks {
  /** The links of a step's prom-requests and prom-reminders, by command id. */
  forCommands(patientId: string, commands: readonly PathwayCommand[], now?: Date): Promise<Record<string, string>>;
}

/** Mints PROM-page links valid for `validForMs` (the policy's `patientContact.linkValidFor`, scaled). */
export function createPromLinks(config: Pick<TandemConfig, 'payload' | 'publicUrl'>, validForMs: number): PromLinks {
  const tokens = promLinkTokens(config);
  return {
    async forCommands(patientId, commands, now = new Date()) {
      const out: Record<string, string> = {};
      for (const c of commands) {
        if (c.kind !== 'notify' || !carriesPromLink(c.notification.kind)) continue;
        const { requestId, instruments } = c.notification.reason.evidence;
        if (typeof requestId !== 'string') continue;
        const ins = Array.isArray(instruments) && instruments.length > 0 ? instruments.map(String) : ['ESAS-r', 'DT'];
        const token = await tokens.seal({ rid: requestId, pid: patientId, ins }, new Date(now.getTime() + validForMs));
        out[c.commandId] = `${config.publicUrl}/p/${token}`;
      }
      return out;
    },
  };
}
