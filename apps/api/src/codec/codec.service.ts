import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Payload } from '@temporalio/common';
import { ValueError } from '@temporalio/common';
import type { TandemConfig } from '@tandem/config';
import { writeAudit } from '@tandem/db';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, workflowBindingsOf } from '@tandem/temporal';
import { patientIdOfPathway } from '@tandem/workflows/contract';
import type { Principal } from '../auth/roles';
import { DomainError } from '../common/domain-error';
import { CONFIG, PG_POOL } from '../tokens';

/**
 * The payload codec the services use (AES-256-GCM), for the codec server: encodes, and decodes with
 * an audit row for what it decrypted. Who may call it is the controller's question.
 */
@Injectable()
export class CodecService {
  private readonly codec: AesGcmPayloadCodec;

  constructor(
    @Inject(CONFIG) config: TandemConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {
    // Throws on a payload that does not authenticate (a 400): a label changed to another workflow makes
    // the payload undecodable, so the audit below can only name the workflow it belongs to. A payload
    // that is not encrypted answers as the refused marker (nothing decrypted, nothing audited).
    this.codec = new AesGcmPayloadCodec(config.payload.currentKey, config.payload.decryptionKeys, { namespace: config.temporal.namespace });
  }

  /** Decrypts, then audits what was decrypted in the caller's name (`loopback` when no token was asked for). */
  async decode(payloads: Payload[], caller: Principal | undefined): Promise<Payload[]> {
    const decoded = await this.run(() => this.codec.decode(payloads));
    await this.audit(caller, payloads);
    return decoded;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return this.run(() => this.codec.encode(payloads));
  }

  private async run(work: () => Promise<Payload[]>): Promise<Payload[]> {
    try {
      return await work();
    } catch (e) {
      // A payload this codec cannot open: a key it does not hold, or bytes that are not its ciphertext.
      if (e instanceof ValueError || (e as Error).message?.includes('Unsupported state or unable to authenticate data'))
        throw new DomainError('undecodable', 'a payload could not be decrypted with the configured keys');
      throw e;
    }
  }

  /**
   * One row per workflow whose payloads were decrypted (its patient too), or one saying none was
   * named; none when nothing was decrypted (only refused, unencrypted payloads). A format-2 payload's
   * workflow is authenticated (it decrypted only because its label is the one it was sealed with); a
   * format-1 payload's label (sealed before labels were authenticated) is audited as unverified.
   */
  private async audit(caller: Principal | undefined, payloads: Payload[]): Promise<void> {
    if (!payloads.some((p) => Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString() === ENCRYPTED_ENCODING)) return;
    const bindings = workflowBindingsOf(payloads);
    const actor = caller?.sub ?? 'loopback';
    const roles = caller?.roles ?? [];
    const rows = bindings.length ? bindings : [undefined];
    for (const binding of rows) {
      const patient = binding ? patientIdOfPathway(binding.workflowId) : undefined;
      const resource = !binding
        ? 'no workflow named in the payloads'
        : binding.authenticated
          ? binding.workflowId
          : `${binding.workflowId} (unverified label: payload sealed before format 2)`;
      await writeAudit(this.pool, {
        actor,
        roles,
        action: 'POST /api/codec/decode',
        patientIds: patient ? [patient] : [],
        resource,
        status: 200,
      });
    }
  }
}
